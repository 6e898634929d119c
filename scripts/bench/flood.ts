/**
 * @module A flood of anonymous requests against the watcher's own work, at fleet size: operator writes and a
 * check run measured quiet, under a flood of GET / and /healthz, and under the same flood of key requests
 * (KV only: the machine's own contention). Public views must cost the watcher no more than key requests do.
 */
import { performance } from 'node:perf_hooks'
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { ADMIN_TOKEN } from './flowkey.js'
import { median } from './load.js'

export interface FloodPhase {
  name: 'quiet' | 'views' | 'keys'
  /** Median ms of an operator PUT during the phase. */
  putMs: number
  /** Look-ups a second the check run under way made during the phase. */
  lookUpsPerS: number
  /** Anonymous answers a second (0 when quiet). */
  floodPerS: number
}

export interface FloodInput {
  base: string
  pod: KaleyraPod
  /** A watched number the writes change back and forth, and a key route the key flood asks for. */
  phone: string
  sid: string
  keyPath: string
  loops: number
  phaseMs: number
}

/** Expects a check run under way (its look-ups are counted); measures three phases one after the other. */
export async function benchFlood(input: FloodInput): Promise<FloodPhase[]> {
  const phases: FloodPhase[] = []
  for (const name of ['quiet', 'views', 'keys'] as const) {
    const paths = name === 'views' ? ['/', '/healthz'] : name === 'keys' ? [input.keyPath] : []
    phases.push(await phase(input, name, paths))
  }
  return phases
}

async function phase(input: FloodInput, name: FloodPhase['name'], paths: readonly string[]): Promise<FloodPhase> {
  let stop = false
  let answers = 0
  const loops = paths.length === 0 ? [] : Array.from({ length: input.loops }, (_, i) => flood(`${input.base}${paths[i % paths.length]}`))
  async function flood(url: string): Promise<void> {
    while (!stop) {
      const response = await fetch(url)
      await response.arrayBuffer()
      answers++
    }
  }
  const lookUpsBefore = input.pod.state.requests.length
  const started = performance.now()
  const puts: number[] = []
  let pod: 'in' | 'sg' = 'sg'
  while (performance.now() - started < input.phaseMs) {
    const t = performance.now()
    const response = await fetch(`${input.base}/v1/numbers/${encodeURIComponent(input.phone)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sid: input.sid, pod }),
    })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`PUT answered ${response.status}`)
    puts.push(performance.now() - t)
    pod = pod === 'sg' ? 'in' : 'sg'
  }
  const seconds = (performance.now() - started) / 1000
  const lookUps = input.pod.state.requests.length - lookUpsBefore
  stop = true
  await Promise.all(loops)
  return { name, putMs: median(puts), lookUpsPerS: lookUps / seconds, floodPerS: answers / seconds }
}
