/** @module Talks to the flowkey bundle running in workerd: its settings for the bench, and one check run, timed. */
import { performance } from 'node:perf_hooks'

export const ADMIN_TOKEN = 'bench-admin-token'

export interface RunCost {
  kv_reads: number
  kv_writes: number
  subrequests: number
}

export interface CheckAnswer {
  checked: number
  succeeded: number
  failed: number
  /** Changes left for the next run, past the run's KV operations (absent before flowkey had the budget). */
  deferred?: number
  numbers: { phone: string; events: string[]; error: { code: string; message: string } | null }[]
  cost: RunCost
}

export interface TimedCheck {
  answer: CheckAnswer
  wallMs: number
  /** `last_run.cost` of the run record, read back through /healthz. */
  recordedCost: RunCost
}

/** The worker's vars for watching `phones` of one account on the emulator, as an operator would set them. */
export function flowkeyBindings(account: { sid: string; apiKey: string }, phones: readonly string[], podUrl: string): Record<string, string> {
  return {
    KALEYRA_SID: account.sid,
    KALEYRA_API_KEY: account.apiKey,
    WATCH_NUMBERS: phones.join(','),
    KALEYRA_POD: 'in',
    KALEYRA_POD_URLS: JSON.stringify({ in: podUrl }),
    ADMIN_TOKEN,
    FAILING_AFTER: '3',
  }
}

/** `POST /v1/check`, timed from the request to the last byte of the answer. */
export async function checkNow(base: string, timeoutMs: number): Promise<TimedCheck> {
  const started = performance.now()
  const response = await fetch(`${base}/v1/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await response.text()
  const wallMs = performance.now() - started
  if (!response.ok) throw new Error(`POST /v1/check answered ${response.status}: ${text.slice(0, 500)}`)
  const answer = JSON.parse(text) as CheckAnswer
  const failure = answer.numbers.find((n) => n.error)
  if (answer.failed > 0 || failure) {
    throw new Error(`The check run failed for ${answer.failed} of ${answer.checked} numbers, e.g. ${failure?.phone}: ${failure?.error?.code} ${failure?.error?.message}`)
  }
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) })
  const state = (await health.json()) as { last_run?: { cost?: RunCost } | null }
  const recordedCost = state.last_run?.cost
  if (!recordedCost) throw new Error(`/healthz shows no last_run.cost after a check run (status ${health.status})`)
  return { answer, wallMs, recordedCost }
}

/** Numbers whose record the run wrote: those with an event. */
export function changedNumbers(answer: CheckAnswer): number {
  return answer.numbers.filter((n) => n.events.length > 0).length
}
