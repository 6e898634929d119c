/** @module Talks to the flowkey bundle running in workerd: its settings for the bench, a check run through the ledger and the queue, timed, and what the ledger says of it. */
import { performance } from 'node:perf_hooks'

export const ADMIN_TOKEN = 'bench-admin-token'

/** A run as /v1/status reports it (src/ledger/run-table.ts). */
export interface RunSummary {
  id: string
  checked: number
  succeeded: number
  failed: number
  events: number
  batches: number
  dead: number
  kv_writes: number
  max_subrequests: number | null
  max_in_flight: number | null
}

export interface LedgerStats {
  database_bytes: number
  kv_puts_total: number
  /** The most KV writes one publish (one invocation of the ledger) has made. */
  max_puts_per_publish: number
  unpublished: number
}

export interface TimedRun {
  run: RunSummary
  /** From POST /v1/check to the run complete and its edge documents all written. */
  wallMs: number
  /** KV puts the ledger made for this run (its publisher's own count, before and after). */
  kvPuts: number
  ledger: LedgerStats
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

const operator = { authorization: `Bearer ${ADMIN_TOKEN}` }

async function getJson<T>(url: string, timeoutMs = 30_000): Promise<T> {
  const response = await fetch(url, { headers: operator, signal: AbortSignal.timeout(timeoutMs) })
  const text = await response.text()
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as T
}

export async function status(base: string): Promise<{ last_run: RunSummary | null; ledger: LedgerStats }> {
  return getJson(`${base}/v1/status?limit=1`)
}

/**
 * `POST /v1/check`, then waits for the run to complete (a fleet larger than one batch goes
 * through the queue: 202) and for the ledger to have written every edge document.
 */
export async function runCheck(base: string, timeoutMs: number): Promise<TimedRun> {
  const before = (await status(base)).ledger.kv_puts_total
  const started = performance.now()
  const response = await fetch(`${base}/v1/check`, { method: 'POST', headers: operator, signal: AbortSignal.timeout(timeoutMs) })
  const text = await response.text()
  if (response.status !== 200 && response.status !== 202) throw new Error(`POST /v1/check answered ${response.status}: ${text.slice(0, 500)}`)
  const answer = JSON.parse(text) as { id?: string | null; run_id?: string }
  const runId = answer.run_id ?? answer.id
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const now = await status(base)
    const run = now.last_run
    if (run && run.id === runId && now.ledger.unpublished === 0) {
      const wallMs = performance.now() - started
      if (run.failed > 0) throw new Error(`The check run failed for ${run.failed} of ${run.checked} numbers`)
      return { run, wallMs, kvPuts: now.ledger.kv_puts_total - before, ledger: now.ledger }
    }
    if (Date.now() > deadline)
      throw new Error(
        `Run ${runId} did not complete within ${timeoutMs} ms (last complete: ${now.last_run?.id ?? 'none'}, unpublished ${now.ledger.unpublished})`,
      )
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** `POST /v1/numbers`: the bulk import, in requests of at most 10,000 entries. */
export async function importNumbers(base: string, numbers: readonly { phone: string; [field: string]: string | string[] | null | undefined }[]): Promise<void> {
  for (let i = 0; i < numbers.length; i += 10_000) {
    const response = await fetch(`${base}/v1/numbers`, {
      method: 'POST',
      headers: { ...operator, 'content-type': 'application/json' },
      body: JSON.stringify({ numbers: numbers.slice(i, i + 10_000) }),
      signal: AbortSignal.timeout(120_000),
    })
    if (!response.ok) throw new Error(`POST /v1/numbers answered ${response.status}: ${(await response.text()).slice(0, 500)}`)
  }
  // The import's own documents ("watched, no key yet") are published by the ledger's alarm: let it finish, so a run measured next counts only its own writes.
  const deadline = Date.now() + 300_000
  while ((await status(base)).ledger.unpublished > 0) {
    if (Date.now() > deadline) throw new Error('The imported numbers were not all published within 5 minutes')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
