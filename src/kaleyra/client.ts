/** @module Calls Get Encryption Public Key: one bodiless POST per attempt, a time-out each, jittered retries of transient failures. */
import type { Secret } from '../secret'
import type { Redact } from '../secrets/redact'
import type { PodCircuit } from '../watch/circuit-breaker'
import type { RunDeadline } from '../watch/run-deadline'
import { classifyAnswer, type KaleyraAnswer, type RawAnswer } from './classify'
import { KaleyraError } from './errors'
import { BodyTooLargeError, readCappedBytes } from '../net/capped-body'

/** Bodies past this are not Kaleyra's documented JSON: stop reading rather than buffer a runaway answer. */
export const MAX_BODY_BYTES = 256 * 1024
export const MAX_ATTEMPTS = 3
export const BACKOFF_BASE_MS = 250
export const MAX_RETRY_WAIT_MS = 5_000

export interface KaleyraTarget {
  /** Pod base URL, e.g. `https://api.in.kaleyra.io`; the path follows it. */
  base: string
  sid: string
  /** Canonical E.164, `+` included, as in Kaleyra's sample request. */
  phone: string
  apiKey: Secret
}

export interface ClientOptions {
  fetch: typeof fetch
  timeoutMs: number
  attempts?: number
  /** Swappable so tests need not wait for real backoff. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Removes configured secrets from everything Kaleyra says, before it is cut or kept (config.redact). */
  redact?: Redact
  /** This pod's share of the run's circuit breaker: once open, attempts fail fast as kaleyra_unreachable. */
  circuit?: PodCircuit
  /** The run's deadline: no attempt starts after it, and none outlasts it. */
  deadline?: RunDeadline
}

export function flowsEncryptionUrl(target: Pick<KaleyraTarget, 'base' | 'sid' | 'phone'>): string {
  return `${target.base}/v2/${encodeURIComponent(target.sid)}/whatsapp/${target.phone}/flows_encryption`
}

/**
 * One attempt. The request is built here and only here, with no body: Kaleyra's
 * *Set* Encryption Public Key API is this same request plus a `business_public_key`
 * form field, so a body could overwrite the business's key and break its Flows.
 */
export async function requestBusinessKey(
  fetchFn: typeof fetch,
  target: KaleyraTarget,
  timeoutMs: number,
  redact: Redact = redactApiKey(target),
): Promise<KaleyraAnswer> {
  const apiKey = target.apiKey.reveal()
  let response: Response
  try {
    response = await fetchFn(flowsEncryptionUrl(target), {
      method: 'POST',
      headers: { 'api-key': apiKey, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (cause) {
    throw networkError(cause, timeoutMs, redact)
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel()
    throw new KaleyraError('kaleyra_bad_response', `Kaleyra answered with a ${response.status} redirect, which the API never does`, {
      retryable: false,
      status: response.status,
    })
  }
  let body: string
  try {
    body = await readCapped(response)
  } catch (cause) {
    if (cause instanceof KaleyraError) throw cause
    throw networkError(cause, timeoutMs, redact)
  }
  const raw: RawAnswer = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    body,
  }
  return classifyAnswer(raw, redact)
}

/** Retries transient failures with full-jitter exponential backoff; permanent ones end the attempt at once. */
export async function fetchBusinessKey(target: KaleyraTarget, options: ClientOptions): Promise<KaleyraAnswer> {
  const attempts = options.attempts ?? MAX_ATTEMPTS
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const { circuit, deadline } = options
  for (let attempt = 1; ; attempt++) {
    refuseWhenBounded(circuit, deadline)
    const timeoutMs = Math.min(options.timeoutMs, deadline?.remainingMs() ?? Infinity)
    try {
      const answer = await requestBusinessKey(options.fetch, target, timeoutMs, options.redact)
      circuit?.answered()
      return answer
    } catch (err) {
      const final = !(err instanceof KaleyraError) || !err.retryable || attempt >= attempts
      const wait = final ? 0 : Math.min(MAX_RETRY_WAIT_MS, Math.max(Math.floor(random() * BACKOFF_BASE_MS * 2 ** attempt), err.retryAfterMs ?? 0))
      // A retry that could not finish before the deadline is not started: the last error stands.
      if (final || (deadline && deadline.remainingMs() <= wait)) {
        // The breaker counts numbers, not attempts: one number's retries alone never open it for the others.
        if (isSilence(err)) circuit?.failed()
        else circuit?.answered()
        throw err
      }
      await sleep(wait)
    }
  }
}

/** Before each attempt: an open circuit or a passed deadline ends the look-up at once, with the reason. */
function refuseWhenBounded(circuit: PodCircuit | undefined, deadline: RunDeadline | undefined): void {
  const late = deadline?.refusal()
  if (late) throw new KaleyraError('kaleyra_timeout', late, { retryable: false })
  const open = circuit?.refusal()
  if (open) throw new KaleyraError('kaleyra_unreachable', open, { retryable: false })
}

/** No HTTP answer at all (time-out, refused, reset): what opens the circuit. */
function isSilence(err: unknown): boolean {
  return err instanceof KaleyraError && err.status === null && (err.code === 'kaleyra_timeout' || err.code === 'kaleyra_unreachable')
}

/** Without the config's redactor (direct callers, tests), the request's own API key is still never repeated. */
function redactApiKey(target: KaleyraTarget): Redact {
  const apiKey = target.apiKey.reveal()
  return (text) => (apiKey ? text.split(apiKey).join('[redacted]') : text)
}

/** Capped like every answer from outside (net/capped-body.ts); past the cap it is Kaleyra's bad answer. */
async function readCapped(response: Response): Promise<string> {
  try {
    return new TextDecoder().decode(await readCappedBytes(response, MAX_BODY_BYTES))
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw tooLarge(response.status)
    throw err
  }
}

function tooLarge(status: number): KaleyraError {
  return new KaleyraError('kaleyra_bad_response', `Kaleyra answered ${status} with a body larger than ${MAX_BODY_BYTES / 1024} KiB`, {
    retryable: true,
    status,
  })
}

function networkError(cause: unknown, timeoutMs: number, redact: Redact): KaleyraError {
  const name = cause instanceof Error ? cause.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new KaleyraError('kaleyra_timeout', `Kaleyra did not answer within ${timeoutMs} ms`, { retryable: true })
  }
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new KaleyraError('kaleyra_unreachable', `Kaleyra could not be reached (${redact(detail).slice(0, 200)})`, { retryable: true })
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}
