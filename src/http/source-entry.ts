/** @module Validates a watch-list entry's key-source fields (INTERFACE.md, "Key sources"): a clear 400 naming the field. */
import { FlowkeyError } from '../errors'
import { SOURCE_NAMES, isSourceName, type SourceFields, type SourceName } from '../sources/source'

const ACCOUNT = /^[A-Za-z0-9_]{1,64}$/
const META_ID = /^\d{1,32}$/
const AWS_ID = /^phone-number-id-[A-Za-z0-9]{32}$/
const AWS_ARN = /^arn:aws:social-messaging:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:phone-number-id\/[A-Za-z0-9]{32}$/
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/

/** Which fields each source takes; the rest are refused by name, so a typo never silently watches the wrong thing. */
const FIELDS: Readonly<Record<SourceName, readonly string[]>> = {
  kaleyra: ['sid', 'pod'],
  meta: ['phone_number_id', 'account'],
  '360dialog': ['account'],
  aws: ['phone_number_id', 'region', 'account'],
}
const SOURCE_ONLY = ['sid', 'pod', 'account', 'phone_number_id', 'region'] as const

/** Null and absent are the same: a field not given. */
const given = (body: Record<string, unknown>, name: string): unknown => (body[name] === null ? undefined : body[name])

export function parseSourceFields(body: Record<string, unknown>): SourceFields {
  const source = given(body, 'source') ?? 'kaleyra'
  if (!isSourceName(source)) throw invalid(`"source" must be one of ${SOURCE_NAMES.join(', ')}`)
  for (const name of SOURCE_ONLY) {
    if (given(body, name) !== undefined && !FIELDS[source].includes(name)) {
      const owners = SOURCE_NAMES.filter((s) => FIELDS[s].includes(name)).join(' and ')
      throw invalid(`"${name}" belongs to ${owners} numbers, not to a ${source} number`)
    }
  }
  const account = optional(body, 'account', ACCOUNT, '1 to 64 letters, digits or _')
  if (source === 'kaleyra' || source === '360dialog') return { source, account, phone_number_id: null, region: null }
  if (source === 'meta') {
    const id = required(body, 'phone_number_id', META_ID, "Meta's numeric phone number id (digits, from WhatsApp Manager), not the phone number")
    return { source, account, phone_number_id: id, region: null }
  }
  const region = required(body, 'region', AWS_REGION, 'an AWS region name such as eu-west-1')
  const id = given(body, 'phone_number_id')
  const arnRegion = typeof id === 'string' ? AWS_ARN.exec(id)?.[1] : undefined
  if (typeof id !== 'string' || !(AWS_ID.test(id) || arnRegion)) {
    throw invalid('"phone_number_id" is required for aws: the linked number\'s id, phone-number-id- and 32 letters or digits, or its ARN')
  }
  if (arnRegion && arnRegion !== region) throw invalid(`"region" is ${region} but the phone_number_id ARN is in ${arnRegion}`)
  return { source, account, phone_number_id: id, region }
}

function optional(body: Record<string, unknown>, name: string, rule: RegExp, words: string): string | null {
  const value = given(body, name)
  if (value === undefined) return null
  if (typeof value !== 'string' || !rule.test(value)) throw invalid(`"${name}" must be ${words}`)
  return value
}

function required(body: Record<string, unknown>, name: string, rule: RegExp, words: string): string {
  const value = optional(body, name, rule, words)
  if (value === null) throw invalid(`"${name}" is required for this source: ${words}`)
  return value
}

const invalid = (message: string): FlowkeyError => new FlowkeyError('invalid_request', message)
