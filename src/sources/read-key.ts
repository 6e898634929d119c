/** @module Reads a number's key from any source: one bodiless request per attempt, a time-out each, jittered retries of transient failures. */
import type { SourcePrefix } from '../errors'
import { BodyTooLargeError, readCappedBytes } from '../net/capped-body'
import { parseRetryAfter } from '../net/retry-after'
import type { Redact } from '../secrets/redact'
import type { HostCircuit } from '../watch/circuit-breaker'
import type { RunDeadline } from '../watch/run-deadline'
import { isSilence } from './failures'
import { SOURCE_INFO, type KeyAnswer, type KeySource, type RawAnswer, type ReadRequest } from './source'
import { SourceError } from './source-error'

/** Bodies past this are no source's documented JSON: stop reading rather than buffer a runaway answer. */
export const MAX_BODY_BYTES = 256 * 1024
export const MAX_ATTEMPTS = 3
export const BACKOFF_BASE_MS = 250
export const MAX_RETRY_WAIT_MS = 5_000

export interface ReadOptions {
  fetch: typeof fetch
  timeoutMs: number
  attempts?: number
  /** Swappable so tests need not wait for real backoff. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Removes configured secrets from everything a source says, before it is cut or kept (config.redact). */
  redact?: Redact
  /** The host's share of the run's circuit breaker: once open, attempts fail fast as `<prefix>_unreachable`. */
  circuit?: HostCircuit
  /** The run's deadline: no attempt starts after it, and none outlasts it. */
  deadline?: RunDeadline
}

/** Retries transient failures with full-jitter exponential backoff; permanent ones end the read at once. */
export async function readKey<T>(source: KeySource<T>, target: T, options: ReadOptions): Promise<KeyAnswer> {
  const attempts = options.attempts ?? MAX_ATTEMPTS
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const redact = options.redact ?? ((text: string) => text)
  const { circuit, deadline } = options
  const { prefix, words } = SOURCE_INFO[source.name]
  for (let attempt = 1; ; attempt++) {
    const late = deadline?.refusal(words)
    if (late) throw new SourceError(`${prefix}_timeout`, late, { retryable: false })
    const open = circuit?.refusal()
    if (open) throw new SourceError(`${prefix}_unreachable`, open, { retryable: false })
    const timeoutMs = Math.min(options.timeoutMs, deadline?.remainingMs() ?? Infinity)
    try {
      const answer = source.classify(await readOnce(await source.buildRequest(target), prefix, words, options.fetch, timeoutMs, redact), redact)
      circuit?.answered()
      return answer
    } catch (err) {
      const final = !(err instanceof SourceError) || !err.retryable || attempt >= attempts
      const wait = final ? 0 : Math.min(MAX_RETRY_WAIT_MS, Math.max(Math.floor(random() * BACKOFF_BASE_MS * 2 ** attempt), err.retryAfterMs ?? 0))
      // A retry that could not finish before the deadline is not started: the last error stands.
      if (final || (deadline && deadline.remainingMs() <= wait)) {
        // The breaker counts numbers, not attempts: one number's retries alone never open it for the others.
        if (err instanceof SourceError && isSilence(err.code, err.status)) circuit?.failed()
        else circuit?.answered()
        throw err
      }
      await sleep(wait)
    }
  }
}

/**
 * One attempt. Every source's *Set* is its read with a body or a writing method, so a
 * request with either is refused here, before it can leave: flowkey only reads.
 */
async function readOnce(
  request: ReadRequest,
  prefix: SourcePrefix,
  words: string,
  fetchFn: typeof fetch,
  timeoutMs: number,
  redact: Redact,
): Promise<RawAnswer> {
  assertReadOnly(request)
  let response: Response
  try {
    response = await fetchFn(request.url, { method: request.method, headers: request.headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
  } catch (cause) {
    throw networkError(cause, prefix, words, timeoutMs, redact)
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel()
    throw new SourceError(`${prefix}_bad_response`, `${words} answered with a ${response.status} redirect, which flowkey never follows`, {
      status: response.status,
    })
  }
  let body: string
  try {
    body = new TextDecoder().decode(await readCappedBytes(response, MAX_BODY_BYTES))
  } catch (cause) {
    if (cause instanceof BodyTooLargeError) {
      throw new SourceError(`${prefix}_bad_response`, `${words} answered ${response.status} with a body larger than ${MAX_BODY_BYTES / 1024} KiB`, {
        status: response.status,
      })
    }
    throw networkError(cause, prefix, words, timeoutMs, redact)
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    errorType: response.headers.get('x-amzn-errortype'),
    body,
  }
}

/** The one guard every source passes: a GET, or Kaleyra's bodiless POST, and no content headers that would carry a form. */
export function assertReadOnly(request: ReadRequest): void {
  if (request.method !== 'GET' && request.method !== 'POST') throw new TypeError(`a key read may not use ${String(request.method)}`)
  const url = new URL(request.url)
  for (const name of ['business_public_key', 'businessPublicKey', 'kmsKeyArn', 'method']) {
    if (url.searchParams.has(name)) throw new TypeError(`a key read may not carry the ${name} parameter`)
  }
  if (request.headers.has('content-length') && request.headers.get('content-length') !== '0') throw new TypeError('a key read has no body')
}

function networkError(cause: unknown, prefix: SourcePrefix, words: string, timeoutMs: number, redact: Redact): SourceError {
  const name = cause instanceof Error ? cause.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SourceError(`${prefix}_timeout`, `${words} did not answer within ${timeoutMs} ms`)
  }
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new SourceError(`${prefix}_unreachable`, `${words} could not be reached (${redact(detail).slice(0, 200)})`)
}
