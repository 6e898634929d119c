/** @module Node-side tests' flowkey: the deploy bundle in workerd (Miniflare 4) on loopback, against the Kaleyra pod emulator. */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFlowkey, compatibilityDate } from '../../../scripts/bench/build.js'
import { startWorkerd } from '../../../scripts/bench/workerd.js'
import { startKaleyraPod, type KaleyraPod } from '../../../scripts/emulators/kaleyra-pod.js'
import { startReceiver, type Receiver } from '../../../scripts/emulators/receiver.js'
import { generateEndpointKey, startFlowEndpoint, type FlowEndpoint } from '../../../scripts/emulators/flow-endpoint.js'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const LIVE_ADMIN_TOKEN = 'live-test-admin-token'
export const LIVE_SID = 'HXLIVETEST0001IN'
const LIVE_API_KEY = 'live-test-api-key'

export interface LiveFlowkey {
  base: string
  pod: KaleyraPod
  /** Slack's stand-in (`SLACK_WEBHOOK_URL` is its `/slack`). */
  receiver: Receiver
  /** The Flow data endpoints of `endpoints` (path `/flow/<phone digits>` each). */
  flow: FlowEndpoint
  /** Runs a full check now (POST /v1/check), as the cron would. */
  check(): Promise<void>
  /** Calls the pod emulator's control API (scripts/emulators/README.md). */
  control(method: string, path: string, body?: unknown): Promise<void>
  stop(): Promise<void>
}

/**
 * Builds the bundle (as `wrangler deploy` would), starts it with `phones` watched, and runs the first check.
 * Numbers of `endpoints` get a Flow data endpoint holding their key's private half: a healthy pairing.
 */
export async function startLiveFlowkey(
  name: string,
  phones: readonly string[],
  vars: Record<string, string> = {},
  endpoints: readonly string[] = [],
): Promise<LiveFlowkey> {
  const pod = await startKaleyraPod({ pod: 'in' })
  const receiver = await startReceiver({})
  const flow = await startFlowEndpoint({})
  const flowEndpoints: Record<string, string> = {}
  pod.state.putAccount(LIVE_SID, LIVE_API_KEY, true)
  for (const phone of phones) {
    if (!endpoints.includes(phone)) {
      await pod.state.putNumber({ sid: LIVE_SID, phone })
      continue
    }
    const key = generateEndpointKey()
    const path = `/flow/${phone.slice(1)}`
    flow.put(path, { privateKey: key.privateKey })
    await pod.state.putNumber({ sid: LIVE_SID, phone, pem: key.publicKey })
    flowEndpoints[phone] = `${flow.url}${path}`
  }
  const bundle = await buildFlowkey(ROOT, join(ROOT, '.wrangler', 'test-build', name))
  const workerd = await startWorkerd(
    [
      {
        name: 'flowkey',
        compatibilityDate: await compatibilityDate(ROOT),
        scriptPath: bundle.entry,
        kv: true,
        ledger: true,
        bindings: {
          KALEYRA_SID: LIVE_SID,
          KALEYRA_API_KEY: LIVE_API_KEY,
          WATCH_NUMBERS: phones.join(','),
          KALEYRA_POD: 'in',
          KALEYRA_POD_URLS: JSON.stringify({ in: pod.url }),
          KALEYRA_TIMEOUT_MS: '2000',
          ADMIN_TOKEN: LIVE_ADMIN_TOKEN,
          FAILING_AFTER: '2',
          ALLOW_PRIVATE_ENDPOINTS: 'true',
          SLACK_WEBHOOK_URL: `${receiver.url}/slack`,
          ...(endpoints.length > 0 ? { FLOW_ENDPOINTS: JSON.stringify(flowEndpoints), ALLOW_PRIVATE_ENDPOINTS: 'true' } : {}),
          ...vars,
        },
      },
    ],
    { kvPersist: false },
  )
  const base = workerd.url('flowkey')
  const live: LiveFlowkey = {
    base,
    pod,
    receiver,
    flow,
    async check() {
      const res = await fetch(`${base}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${LIVE_ADMIN_TOKEN}` } })
      if (!res.ok) throw new Error(`POST /v1/check answered ${res.status}: ${await res.text()}`)
      if (res.status !== 202) return void (await res.arrayBuffer())
      // Too large to check inline: the run went to the queue. Wait for it, as a cron's caller would see it end.
      const { run_id } = (await res.json()) as { run_id: string }
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const status = await fetch(`${base}/v1/status`, { headers: { authorization: `Bearer ${LIVE_ADMIN_TOKEN}` } })
        const { runs } = (await status.json()) as { runs: { id: string; finished_at: string | null }[] }
        if (runs.some((run) => run.id === run_id && run.finished_at !== null)) return
      }
      throw new Error(`run ${run_id} did not finish within 60 s`)
    },
    async control(method, path, body) {
      const res = await fetch(`${pod.url}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
      if (!res.ok) throw new Error(`${method} /_emulator${path} answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    },
    async stop() {
      await workerd.stop()
      await Promise.all([pod.close(), receiver.close(), flow.close()])
    },
  }
  await live.check()
  return live
}
