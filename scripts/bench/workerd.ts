/** @module Workers in one workerd (Miniflare 4): each on its own loopback socket, sharing one KV namespace. */
import { Miniflare, type WorkerOptions } from 'miniflare'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { onExit } from './cleanup.js'
import { childPids, isWorkerd, processCpuNs } from './proc.js'

/** The KV namespace every worker in one workerd binds as KEYS, so the naive worker reads what flowkey's check wrote. */
const KV_ID = 'flowkey-bench-keys'
const OUTPUT_LINES_KEPT = 40
/** wrangler.toml's [assets] directory: what `npm run openapi:build` writes (/openapi.json). */
const ASSETS_DIRECTORY = fileURLToPath(new URL('../../assets', import.meta.url))

export interface WorkerSpec {
  name: string
  compatibilityDate: string
  /** A bundle on disk, or the source of a one-module worker. */
  scriptPath?: string
  script?: string
  bindings?: Record<string, string>
  kv?: boolean
  /** flowkey's own bindings beside KV: the LEDGER Durable Object, the CHECKS queue with its dead-letter queue and the ASSETS folder, as wrangler.toml declares them. */
  ledger?: boolean
}

export interface Workerd {
  /** `http://127.0.0.1:<port>` of a worker's own socket. */
  url(name: string): string
  /** The last lines workerd printed (flowkey logs a JSON line per check), for error messages. */
  output(): string
  /** CPU time workerd's threads have used so far (ns), or null where /proc cannot tell (not Linux). */
  cpuNs(): number | null
  /** Fires the first worker's cron trigger now, as Cloudflare would with `cron`. */
  scheduled(cron: string): Promise<void>
  /** The DevTools WebSocket of one worker's isolate, when started with `inspect`. */
  inspectorUrl(name: string): Promise<string>
  stop(): Promise<void>
}

export interface WorkerdOptions {
  /** A directory, so a second workerd can serve what a first one stored; false keeps KV in memory. */
  kvPersist: string | false
  /** Opens the V8 inspector (scripts/bench/profile.ts records CPU profiles through it). */
  inspect?: boolean
}

/**
 * Starts one workerd holding every worker. Each gets a direct socket: requests reach
 * the worker itself, not Miniflare's dev router, which production does not have.
 */
export async function startWorkerd(specs: readonly WorkerSpec[], options: WorkerdOptions): Promise<Workerd> {
  const lines: string[] = []
  const keep = (stream: Readable): void => {
    let partial = ''
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts)
      if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT)
    })
  }
  const workers: WorkerOptions[] = specs.map((spec): WorkerOptions => {
    const kvNamespaces: Record<string, string> = spec.kv ? { KEYS: KV_ID } : {}
    const common = {
      name: spec.name,
      modules: true,
      compatibilityDate: spec.compatibilityDate,
      bindings: spec.bindings ?? {},
      kvNamespaces,
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
      ...(spec.ledger ? ledgerOptions() : {}),
    }
    // Two returns, not a spread of either: miniflare 4's zod 3 types only accept a union member whole.
    return spec.scriptPath ? { ...common, scriptPath: spec.scriptPath } : { ...common, script: spec.script ?? '' }
  })
  const before = new Set(childPids())
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    kvPersist: options.kvPersist,
    durableObjectsPersist: options.kvPersist === false ? false : `${options.kvPersist}-do`,
    ...(options.inspect ? { inspectorPort: 0 } : {}),
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      keep(stdout)
      keep(stderr)
    },
    workers,
  })
  const stop = onExit(() => mf.dispose())
  const urls = new Map<string, string>()
  try {
    await mf.ready
    for (const spec of specs) urls.set(spec.name, (await mf.unsafeGetDirectURL(spec.name)).origin)
  } catch (err) {
    await stop()
    throw err
  }
  const pid = childPids().find((p) => !before.has(p) && isWorkerd(p)) ?? null
  return {
    url(name) {
      const url = urls.get(name)
      if (!url) throw new TypeError(`No worker named ${name} in this workerd`)
      return url
    },
    output: () => lines.join('\n'),
    cpuNs: () => (pid === null ? null : processCpuNs(pid)),
    // Straight to the worker: with assets, Miniflare's entry is the assets router, which has no scheduled handler.
    scheduled: async (cron) => {
      const result = await (await mf.getWorker(specs[0]?.name)).scheduled({ cron })
      if (result.outcome !== 'ok') throw new Error(`the scheduled handler ended with ${result.outcome}`)
    },
    inspectorUrl: async (name) => `ws://${(await mf.getInspectorURL()).host}/core:user:${name}`,
    stop,
  }
}

/**
 * wrangler.toml's LEDGER, CHECKS and ASSETS, for Miniflare: one message per consumer invocation, three retries, then the
 * dead-letter queue; the Worker runs ahead of its assets on every path (`run_worker_first = true`).
 */
function ledgerOptions(): Pick<WorkerOptions, 'durableObjects' | 'queueProducers' | 'queueConsumers' | 'assets'> {
  return {
    assets: { directory: ASSETS_DIRECTORY, binding: 'ASSETS', routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } },
    durableObjects: { LEDGER: { className: 'Ledger', useSQLite: true } },
    queueProducers: { CHECKS: { queueName: 'flowkey-checks' } },
    queueConsumers: {
      'flowkey-checks': { maxBatchSize: 1, maxBatchTimeout: 0, maxRetries: 3, deadLetterQueue: 'flowkey-checks-dlq' },
      'flowkey-checks-dlq': { maxBatchSize: 10, maxBatchTimeout: 1 },
    },
  }
}
