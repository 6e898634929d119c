/** @module One delivery attempt: a POST with a time-out and no redirects, and what its answer means for retrying. */
import type { Redact } from '../secrets/redact'
import { parseRetryAfter } from '../net/retry-after'

/** Per attempt; a receiver slower than this is treated as down and tried again later. */
export const DELIVERY_TIMEOUT_MS = 10_000
/** Enough of an error answer to show why (Slack's is a bare code such as `invalid_payload`). */
const ERROR_BODY_CHARS = 200
/** Read before redacting and cutting: enough that a secret straddling the cut is still whole when redacted. */
const READ_BODY_CHARS = ERROR_BODY_CHARS * 4

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'permanent'; status: number | null; error: string }

export interface PostRequest {
  /** Names the destination in errors (`WEBHOOK_URL`), so the URL itself never has to. */
  label: string
  url: string
  headers: Record<string, string>
  body: string
  /** Removes every configured secret (config.redact), not only this channel's, from what the receiver says. */
  redact: Redact
}

export interface PostIo {
  fetch: typeof fetch
  timeoutMs: number
  /** Real time, for an HTTP-date Retry-After. */
  clock: () => number
}

export async function postOnce(request: PostRequest, io: PostIo): Promise<AttemptOutcome> {
  const scrub = request.redact
  let response: Response
  try {
    response = await io.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // A receiver that moves is a configuration to fix, not a hop to take with signed events.
      redirect: 'manual',
      signal: AbortSignal.timeout(io.timeoutMs),
    })
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
    const error = timedOut
      ? `${request.label} did not answer within ${io.timeoutMs} ms`
      : `${request.label} could not be reached (${scrub(err instanceof Error ? err.message : String(err)).slice(0, ERROR_BODY_CHARS)})`
    return { kind: 'retry', status: null, error, retryAfterMs: null }
  }
  const { status } = response
  if (status >= 200 && status < 300) {
    await response.body?.cancel()
    return { kind: 'delivered', status }
  }
  // Redacted whole, then cut: cut first, a secret at the cut would survive in part.
  const detail = status >= 300 && status < 400 ? '' : cut(scrub(await readSnippet(response)))
  const said = `${request.label} answered ${status}${detail ? `: ${detail}` : ''}`
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', status, error: said, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), io.clock()) }
  }
  if (status >= 300 && status < 400) {
    await response.body?.cancel()
    return { kind: 'permanent', status, error: `${said} (a redirect, which flowkey does not follow: set the final URL)` }
  }
  return { kind: 'permanent', status, error: said }
}

/** Reads only the start of an error answer: a receiver's error page can be large, and only its gist is kept. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (text.length < READ_BODY_CHARS) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    // An answer cut short still has a status, which is what decides.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return text.slice(0, READ_BODY_CHARS)
}

function cut(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS)
}
