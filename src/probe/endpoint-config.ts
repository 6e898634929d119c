/** @module FLOW_ENDPOINTS: business number to Flow endpoint URL for WATCH_NUMBERS numbers, with a clear problem for every bad entry. */
import type { ConfigProblem } from '../config'
import { FlowkeyError } from '../errors'
import { normalizePhone } from '../phone'
import { checkEndpointUrl } from './endpoint-url'

const NAME = 'FLOW_ENDPOINTS'

/** ALLOW_PRIVATE_ENDPOINTS: `true` or `false` (the default); anything else is a problem, and private hosts stay refused. */
export function parseAllowPrivateEndpoints(raw: string | undefined, problems: ConfigProblem[]): boolean {
  const text = (raw ?? '').trim().toLowerCase()
  if (text === 'true') return true
  if (text !== '' && text !== 'false') {
    problems.push({
      name: 'ALLOW_PRIVATE_ENDPOINTS',
      message: `ALLOW_PRIVATE_ENDPOINTS "${text.slice(0, 20)}" is not true or false. Meanwhile flowkey uses false`,
    })
  }
  return false
}

/** Good entries are kept even when others are bad: one typo must not stop every other number's probe. */
export function parseFlowEndpoints(
  raw: string | undefined,
  watchNumbers: readonly string[],
  allowPrivate: boolean,
): { endpoints: Map<string, string>; problems: ConfigProblem[] } {
  const endpoints = new Map<string, string>()
  const problems: ConfigProblem[] = []
  const problem = (message: string): void => {
    problems.push({ name: NAME, message })
  }
  const text = typeof raw === 'string' ? raw.trim() : ''
  if (!text) return { endpoints, problems }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // The value is not echoed: its URLs may carry tokens in their query strings.
    problem(`${NAME} is not valid JSON: expected an object such as {"+919876543210":"https://flows.example.com/data"}`)
    return { endpoints, problems }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problem(`${NAME} must be a JSON object of business number to endpoint URL`)
    return { endpoints, problems }
  }
  const watched = new Set(watchNumbers)
  for (const [key, value] of Object.entries(parsed)) {
    let phone: string
    try {
      phone = normalizePhone(key.trim())
    } catch {
      problem(`${NAME} key "${key.slice(0, 40)}" is not an E.164 number`)
      continue
    }
    if (!watched.has(phone)) {
      problem(`${NAME} names ${phone}, which is not in WATCH_NUMBERS (endpoints of operator-added numbers are set with PUT /v1/numbers/{phone})`)
      continue
    }
    if (typeof value !== 'string') {
      problem(`${NAME}["${phone}"] must be a URL string`)
      continue
    }
    try {
      // No request, so no own origin to compare with here: the probe route checks it against the origin it is asked at.
      endpoints.set(phone, checkEndpointUrl(value, { allowPrivate, ownOrigin: null }))
    } catch (err) {
      const message = err instanceof FlowkeyError ? err.message.replace(/^endpoint_url/, `${NAME}["${phone}"]`) : `${NAME}["${phone}"] is not a usable URL`
      problem(message)
    }
  }
  return { endpoints, problems }
}
