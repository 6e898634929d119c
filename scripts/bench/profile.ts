/**
 * @module Where a serving route's time goes: a V8 CPU profile of flowkey's isolate in workerd under autocannon load.
 *
 *   npx tsx --experimental-websocket scripts/bench/profile.ts [single|fleet|304] [seconds]
 *
 * (Node 22 and later have WebSocket without the flag.) Writes bench/out/profile-<route>.cpuprofile,
 * which Chrome DevTools opens, and prints the functions with the most self and total time.
 */
import autocannon from 'autocannon'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startKaleyraPod } from '../emulators/kaleyra-pod.js'
import { buildFlowkey, compatibilityDate } from './build.js'
import { exitOnSignals, onExit, runExitTasks } from './cleanup.js'
import { seedServing } from './seed.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SAMPLING_INTERVAL_US = 50
const MAX_SECONDS = 60
const TOP = 25

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

async function main(): Promise<void> {
  const route = process.argv[2] ?? 'single'
  const seconds = Math.min(MAX_SECONDS, Number(process.argv[3] ?? 5))
  if (!['single', 'fleet', '304'].includes(route) || !(seconds > 0)) throw new TypeError('usage: profile.ts [single|fleet|304] [seconds]')
  if (typeof WebSocket === 'undefined') throw new Error('This Node has no WebSocket: run with `npx tsx --experimental-websocket ...` (Node 20) or on Node 22+')
  exitOnSignals()
  const outdir = join(ROOT, 'bench', 'out', `profile-${process.pid}`)
  await mkdir(outdir, { recursive: true })
  onExit(() => rm(outdir, { recursive: true, force: true }))
  const bundle = await buildFlowkey(ROOT, join(outdir, 'flowkey'))
  const pod = await startKaleyraPod()
  onExit(() => pod.close())
  const { phones, workerd } = await seedServing({
    pod,
    numbers: 100,
    flowkeyBundle: bundle.entry,
    compatibilityDate: await compatibilityDate(ROOT),
    kvDir: join(outdir, 'kv'),
    checkTimeoutMs: 60_000,
    inspect: true,
  })
  const base = workerd.url('flowkey')
  const url = route === 'single' ? `${base}/v1/numbers/${phones[0] ?? ''}/jwks.json` : `${base}/.well-known/jwks.json`
  const etag = route === '304' ? ((await fetch(url)).headers.get('etag') ?? '') : ''
  const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {}

  const inspector = await connect(await workerd.inspectorUrl('flowkey'))
  await autocannon({ url, headers, connections: 10, duration: 1 })
  await inspector.send('Profiler.enable')
  await inspector.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
  await inspector.send('Profiler.start')
  await autocannon({ url, headers, connections: 10, duration: seconds })
  const { profile } = (await inspector.send('Profiler.stop')) as { profile: CpuProfile }
  inspector.close()
  const file = join(ROOT, 'bench', 'out', `profile-${route}.cpuprofile`)
  await writeFile(file, JSON.stringify(profile))
  process.stdout.write(`${summarize(profile)}\nwrote ${file}\n`)
}

/** A minimal Chrome DevTools Protocol client: numbered requests, answers matched by id. */
async function connect(url: string): Promise<{ send(method: string, params?: object): Promise<unknown>; close(): void }> {
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve)
    socket.addEventListener('error', reject)
  })
  const waiting = new Map<number, (result: unknown) => void>()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown }
    if (message.id !== undefined) waiting.get(message.id)?.(message.result)
  })
  let next = 0
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        const id = ++next
        waiting.set(id, resolve)
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

/** Self and total time per function, as shares of the profile; `(idle)` is the isolate waiting for requests. */
function summarize(profile: CpuProfile): string {
  const label = (frame: CallFrame): string =>
    `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.split('/').pop()}:${frame.lineNumber + 1}` : ''}`.trim()
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const timeOf = new Map<number, number>()
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let all = 0
  for (const [id, time] of timeOf) {
    all += time
    const own = byId.get(id)
    if (own) self.set(label(own.callFrame), (self.get(label(own.callFrame)) ?? 0) + time)
    // Each function once per sample, however deep the recursion.
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label((byId.get(at) as ProfileNode).callFrame)
      if (!seen.has(name)) total.set(name, (total.get(name) ?? 0) + time)
      seen.add(name)
    }
  }
  const top = (map: Map<string, number>): string =>
    [...map]
      .sort((x, y) => y[1] - x[1])
      .slice(0, TOP)
      .map(([name, time]) => `${((100 * time) / all).toFixed(1).padStart(6)}%  ${name}`)
      .join('\n')
  return `self time\n${top(self)}\n\ntotal time (self + callees)\n${top(total)}`
}

main().then(runExitTasks, async (err: unknown) => {
  console.error(`profile: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  await runExitTasks()
  process.exitCode = 1
})
