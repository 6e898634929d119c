/**
 * @module Mixed sources: one check run over a fleet split evenly between Kaleyra, Meta's Graph API, 360dialog and AWS
 * (each on its emulator, every look-up held the same latency), added by one bulk import and run through the queue,
 * timed and costed per invocation from the ledger's own records.
 */
import { startAwsSocial } from '../emulators/aws-social.js'
import { startD360 } from '../emulators/d360.js'
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { keyPool } from '../emulators/keys.js'
import { startMetaGraph } from '../emulators/meta-graph.js'
import type { SourceEmulator } from '../emulators/source-emulator.js'
import { CONNECTIONS_PER_INVOCATION } from './checking.js'
import { ADMIN_TOKEN, importNumbers, runCheck, type LedgerStats, type RunSummary } from './flowkey.js'
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js'
import type { BenchOptions } from './options.js'
import { startWorkerd } from './workerd.js'

const KALEYRA = { sid: 'HXBENCHMIXED1IN', apiKey: 'bench-mixed-kaleyra-key' }
const META_TOKEN = 'bench-mixed-meta-token'
const AWS = { accessKeyId: 'AKIABENCHMIXED000001', secret: 'bench-mixed-aws-secret', region: 'eu-west-1' }
export const MIXED_SOURCES = ['kaleyra', 'meta', '360dialog', 'aws'] as const

export interface MixedResult {
  numbers: number
  /** Numbers per source, in MIXED_SOURCES order. */
  perSource: number[]
  latencyMs: number
  wallMs: number
  idealMs: number
  run: RunSummary
  kvPuts: number
  ledger: LedgerStats
}

export interface MixedInput {
  options: BenchOptions
  pod: KaleyraPod
  flowkeyBundle: string
  compatibilityDate: string
  log: (line: string) => void
}

type Entry = { phone: string } & Record<string, string>

export async function benchMixed(input: MixedInput): Promise<MixedResult> {
  const { options, pod, log } = input
  const latencyMs = options.checkLatencyMs
  const total = options.checkNumbers
  const perSource = MIXED_SOURCES.map((_, i) => Math.floor(total / 4) + (i < total % 4 ? 1 : 0))
  const [kaleyraCount = 0, metaCount = 0, d360Count = 0, awsCount = 0] = perSource
  const pool = await keyPool()
  const pem = (i: number): string => pool[i % pool.length] ?? ''

  pod.state.putAccount(KALEYRA.sid, KALEYRA.apiKey)
  const kaleyraPhones = await pod.state.putFleet(KALEYRA.sid, '+9182000000', kaleyraCount)
  pod.state.setLatency(latencyMs, KALEYRA.sid, null)
  pod.state.clearRequests(KALEYRA.sid)

  const [meta, d360, aws] = await Promise.all([startMetaGraph(), startD360(), startAwsSocial()])
  const emulators: SourceEmulator[] = [meta, d360, aws]
  const proxies: LatencyProxy[] = []
  try {
    for (const emulator of emulators) proxies.push(await startLatencyProxy(emulator.url, latencyMs))
    const [metaProxy, d360Proxy, awsProxy] = proxies as [LatencyProxy, LatencyProxy, LatencyProxy]
    const phone = (source: number, i: number): string => `+91821${source}${String(i).padStart(6, '0')}`
    const vars: Record<string, string> = {
      KALEYRA_SID: KALEYRA.sid,
      KALEYRA_API_KEY: KALEYRA.apiKey,
      KALEYRA_POD: 'in',
      KALEYRA_POD_URLS: JSON.stringify({ in: pod.url }),
      META_GRAPH_URL: metaProxy.url,
      META_ACCESS_TOKEN_BENCH: META_TOKEN,
      D360_API_URL: d360Proxy.url,
      AWS_ENDPOINT_URL_SOCIALMESSAGING: awsProxy.url,
      AWS_ACCESS_KEY_ID: AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS.secret,
      ADMIN_TOKEN,
      FAILING_AFTER: '3',
      CHECK_BATCH_SIZE: String(options.mixedBatchSize),
    }
    const entries: Entry[] = kaleyraPhones.map((p) => ({ phone: p, source: 'kaleyra', sid: KALEYRA.sid, pod: 'in' }))
    for (let i = 0; i < metaCount; i++) {
      const id = `10982${String(i).padStart(10, '0')}`
      await meta.state.putNumber(id, { credential: META_TOKEN, pem: pem(i) })
      entries.push({ phone: phone(1, i), source: 'meta', phone_number_id: id, account: 'bench' })
    }
    // A 360dialog key selects its number: one secret per number, under the number's digits (the default account).
    for (let i = 0; i < d360Count; i++) {
      const p = phone(2, i)
      const key = `bench-mixed-d360-${i}`
      await d360.state.putNumber(`channel-${i}`, { credential: key, pem: pem(i) })
      vars[`D360_API_KEY_${p.slice(1)}`] = key
      entries.push({ phone: p, source: '360dialog' })
    }
    aws.state.credentials.set(AWS.accessKeyId, { secret: AWS.secret, sessionToken: null })
    for (let i = 0; i < awsCount; i++) {
      const id = `phone-number-id-${String(i).padStart(32, '0')}`
      await aws.state.putNumber(id, { region: AWS.region, pem: pem(i) })
      entries.push({ phone: phone(3, i), source: 'aws', phone_number_id: id, region: AWS.region })
    }

    const idealMs = (total * latencyMs) / CONNECTIONS_PER_INVOCATION
    const workerd = await startWorkerd(
      [{ name: 'flowkey', scriptPath: input.flowkeyBundle, compatibilityDate: input.compatibilityDate, bindings: vars, kv: true, ledger: true }],
      { kvPersist: false },
    )
    try {
      const base = workerd.url('flowkey')
      log(`mixed: ${total} numbers (${perSource.join(' / ')} on ${MIXED_SOURCES.join(' / ')}) added by one POST /v1/numbers`)
      await importNumbers(base, entries)
      log(`mixed: one run through the queue, ${latencyMs} ms a look-up on every source (ideal ${Math.round(idealMs)} ms)`)
      const { run, wallMs, kvPuts, ledger } = await runCheck(base, options.checkTimeoutMs)
      if (run.checked !== total) throw new Error(`The mixed run checked ${run.checked} numbers, expected ${total}`)
      if (run.batches < 2) throw new Error(`The mixed run was checked inline, not through the queue (${run.batches} batch): lower CHECK_BATCH_SIZE`)
      const asked = [pod.state.requestLog(KALEYRA.sid, null).requests.length, ...proxies.map((p) => p.count())]
      asked.forEach((n, i) => {
        if (n < (perSource[i] ?? 0)) throw new Error(`${MIXED_SOURCES[i]} was asked ${n} times for ${perSource[i]} numbers`)
      })
      const writes = emulators.flatMap((e) => e.guard.refused)
      if (writes.length > 0) throw new Error(`An emulator saw a write: ${JSON.stringify(writes[0])}`)
      return { numbers: total, perSource, latencyMs, wallMs, idealMs, run, kvPuts, ledger }
    } catch (err) {
      log(workerd.output())
      throw err
    } finally {
      await workerd.stop()
    }
  } finally {
    await Promise.all([...proxies.map((p) => p.close()), ...emulators.map((e) => e.close())])
  }
}
