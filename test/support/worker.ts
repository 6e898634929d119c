/** @module Drives the real Worker (fetch, scheduled, the queue it fans out to) with an env pointed at the emulators. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../src/index'
import type { Env } from '../../src/env'
import { settingsOf } from '../../src/ledger/settings'
import { ledgerOf } from '../../src/ledger/stub'
import { forgetCached } from '../../src/store/cache'
import { kaleyraUrl, type Account } from './kaleyra'
import { rows } from './ledger'
import { registerSecrets, suiteSweep } from './suite-sweep'

export const ADMIN_TOKEN = 'test-admin-token'
export const CRON = '*/10 * * * *'

/** All four pods point at the emulator, so `auto` can never reach a real Kaleyra host. */
export function testEnv(account: Account, vars: Partial<Env> = {}): Env {
  const url = kaleyraUrl()
  const built: Env = {
    ...env,
    KALEYRA_SID: account.sid,
    KALEYRA_API_KEY: account.apiKey,
    KALEYRA_POD: 'in',
    KALEYRA_POD_URLS: JSON.stringify({ in: url, sg: url, eu: url, na: url }),
    KALEYRA_TIMEOUT_MS: '1500',
    // Flow endpoint emulators listen on loopback (INTERFACE.md: the tests set it).
    ALLOW_PRIVATE_ENDPOINTS: 'true',
    ADMIN_TOKEN,
    ...vars,
  }
  registerSecrets(built)
  return built
}

export async function request(testEnv: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(new Request(`https://flowkey.test${path}`, init), testEnv, ctx)
  await waitOnExecutionContext(ctx)
  // Every response of the suite is searched for the secrets of its env (support/suite-sweep.ts).
  return suiteSweep.response(`${init.method ?? 'GET'} ${path}`, response)
}

export function operator(init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${ADMIN_TOKEN}` } }
}

/**
 * A cron tick at `time` (ms), as wrangler's /cdn-cgi/handler/scheduled?time= would send,
 * then the wait for the queue to drain it and the ledger to complete the run, and the
 * delivery step on the run's clock.
 */
export async function tick(testEnv: Env, time = Date.now(), cron = CRON): Promise<void> {
  const ctx = createExecutionContext()
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron }), testEnv, ctx)
  await waitOnExecutionContext(ctx)
  await waitForRun(testEnv, time)
  // The ledger's alarm publishes and delivers on the wall clock; a test that moves time does both on the run's.
  await sweep(testEnv, time)
  // Readers at the edge see a change within the rotation bound (README); tests look straight past it.
  forgetIsolateCache()
}

/** Polls the ledger until the run that started at `time` is complete, or finished having skipped every number (still queued from an earlier run). */
export async function waitForRun(testEnv: Env, time: number, timeoutMs = 15_000): Promise<void> {
  const ledger = ledgerOf(testEnv)
  const started = new Date(time).toISOString()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const health = await ledger.health(settingsOf(testEnv), time)
    if (health.last_run && health.last_run.started_at >= started) return
    const skipped = await rows('SELECT id FROM runs WHERE started_at >= ? AND finished_at IS NOT NULL AND batches = 0 AND skipped > 0', time)
    if (skipped.length > 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`the run of ${started} did not complete within ${timeoutMs} ms`)
}

/** The ledger's delivery step on a given clock (ms): how tests move through the retry schedule. */
export async function sweep(testEnv: Env, time = Date.now()): Promise<void> {
  // Each sweep publishes a bounded share of the edge documents, as each alarm does; a test waits for all.
  for (let i = 0; i < 100; i++) {
    const { unpublished } = await ledgerOf(testEnv).sweep(time, settingsOf(testEnv))
    if (unpublished === 0) return
  }
}

/** Tests that write KV behind the app's back drop the isolate cache too. */
export function forgetIsolateCache(): void {
  forgetCached(env.KEYS)
}

/** A body as text, read as bytes: workerd warns when `.text()` meets a PEM's content type. */
export async function bodyText(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer())
}
