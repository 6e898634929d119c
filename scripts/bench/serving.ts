/** @module Serving: flowkey's public key routes against a constant-answer baseline in the same workerd, with real keys in KV. */
import type { KaleyraPod } from '../emulators/kaleyra-pod.js'
import { capture, constantWorkerSource, type CapturedResponse } from './baseline.js'
import { compare, type Comparison, type LoadShape, type Target } from './load.js'
import type { BenchOptions } from './options.js'
import { seedServing } from './seed.js'
import { timeViews, type ViewTimings } from './views.js'
import { startWorkerd, type WorkerSpec } from './workerd.js'

export interface ServingScenario {
  name: string
  /** Shown in the table; false for the naive worker. */
  targeted: boolean
  comparison: Comparison
  /** Size of the answer both sides send. */
  bodyBytes: number
  status: number
}

interface Plan {
  name: string
  targeted: boolean
  worker: string
  path: string
  headers?: Record<string, string>
}

export interface ServingInput {
  options: BenchOptions
  pod: KaleyraPod
  flowkeyBundle: string
  naiveBundle: string
  compatibilityDate: string
  kvDir: string
  log: (line: string) => void
}

export interface ServingResult {
  scenarios: ServingScenario[]
  /** The views at this (small) fleet size, to compare with the fleet section's. */
  views: ViewTimings
}

export async function benchServing(input: ServingInput): Promise<ServingResult> {
  const { options, compatibilityDate, log } = input
  const naive: WorkerSpec = { name: 'naive', scriptPath: input.naiveBundle, compatibilityDate, kv: true }
  log(`serving: seeding KV with a check of ${options.servingNumbers} numbers`)
  const {
    phones,
    flowkey,
    workerd: seed,
  } = await seedServing({
    pod: input.pod,
    numbers: options.servingNumbers,
    flowkeyBundle: input.flowkeyBundle,
    compatibilityDate,
    kvDir: input.kvDir,
    checkTimeoutMs: options.checkTimeoutMs,
    beside: [naive],
  })
  const phone = phones[0] as string
  const single = `/v1/numbers/${phone}/jwks.json`
  const plans: Plan[] = []
  const captured = new Map<string, CapturedResponse>()
  let views: ViewTimings
  try {
    log(`serving: the views at ${phones.length} numbers, ${options.viewSamples} requests each`)
    views = await timeViews(seed.url('flowkey'), phones, options.viewSamples)
    const fleet = await capture(`${seed.url('flowkey')}/.well-known/jwks.json`)
    const etag = fleet.headers.find(([name]) => name === 'etag')?.[1]
    if (!etag) throw new Error('/.well-known/jwks.json sent no ETag')
    plans.push(
      { name: `GET /v1/numbers/{phone}/jwks.json`, targeted: true, worker: 'flowkey', path: single },
      // The route the fleet section measures at its size: the same route at this one.
      { name: `GET /v1/numbers/{phone}/key`, targeted: true, worker: 'flowkey', path: `/v1/numbers/${phone}/key` },
      { name: `GET /.well-known/jwks.json (${phones.length} numbers)`, targeted: true, worker: 'flowkey', path: '/.well-known/jwks.json' },
      { name: 'same, If-None-Match (304)', targeted: true, worker: 'flowkey', path: '/.well-known/jwks.json', headers: { 'if-none-match': etag } },
      { name: 'naive: KV + jose per request', targeted: false, worker: 'naive', path: single },
    )
    for (const plan of plans) {
      const answer = await capture(`${seed.url(plan.worker)}${plan.path}`, plan.headers)
      if (answer.status !== 200 && answer.status !== 304) throw new Error(`${plan.worker} ${plan.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`)
      captured.set(plan.name, answer)
    }
    const fromFlowkey = captured.get(plans[0]?.name ?? '')?.body
    const fromNaive = captured.get(plans.find((p) => p.worker === 'naive')?.name ?? '')?.body
    if (fromFlowkey !== fromNaive)
      throw new Error('The naive worker and flowkey serve different JWKS for one number: the comparison would not be like for like')
  } catch (err) {
    log(seed.output())
    throw err
  } finally {
    await seed.stop()
  }

  // Measure: flowkey, the naive worker and one baseline per answer, all in one workerd.
  const baselines: WorkerSpec[] = plans.map((plan, i) => ({
    name: `baseline-${i}`,
    script: constantWorkerSource(captured.get(plan.name) as CapturedResponse),
    compatibilityDate,
  }))
  // A second copy of the first baseline, for the A/A row.
  const copy: WorkerSpec = { ...(baselines[0] as WorkerSpec), name: 'baseline-copy' }
  const workerd = await startWorkerd([flowkey, naive, ...baselines, copy], { kvPersist: input.kvDir })
  const shape: LoadShape = options
  const results: ServingScenario[] = []
  try {
    for (const [i, plan] of plans.entries()) {
      const answer = captured.get(plan.name) as CapturedResponse
      const a: Target = { url: `${workerd.url(plan.worker)}${plan.path}`, headers: plan.headers, status: answer.status, cpuNs: workerd.cpuNs }
      const b: Target = { url: `${workerd.url(`baseline-${i}`)}${plan.path}`, headers: plan.headers, status: answer.status, cpuNs: workerd.cpuNs }
      // The naive worker is shown, not targeted: half the rounds are enough to see how far off it is.
      const planShape = plan.targeted ? shape : { ...shape, pairs: Math.ceil(shape.pairs / 2), latencyPairs: Math.ceil(shape.latencyPairs / 2) }
      log(`serving: ${plan.name}: ${planShape.pairs} + ${planShape.latencyPairs} A/B pairs`)
      const comparison = await compare(a, b, planShape)
      results.push({
        name: plan.name,
        targeted: plan.targeted,
        comparison,
        bodyBytes: Buffer.byteLength(answer.status === 304 ? '' : answer.body),
        status: answer.status,
      })
    }
    // The noise floor of the method: the baseline against an identical copy of itself.
    log(`serving: A/A noise floor: ${shape.pairs} + ${shape.latencyPairs} A/B pairs`)
    results.push({
      name: 'A/A: baseline vs a copy of itself',
      targeted: false,
      comparison: await compare(
        { url: `${workerd.url('baseline-copy')}${single}`, status: 200, cpuNs: workerd.cpuNs },
        { url: `${workerd.url('baseline-0')}${single}`, status: 200, cpuNs: workerd.cpuNs },
        shape,
      ),
      bodyBytes: Buffer.byteLength(captured.get(plans[0]?.name ?? '')?.body ?? ''),
      status: 200,
    })
  } catch (err) {
    log(workerd.output())
    throw err
  } finally {
    await workerd.stop()
  }
  return { scenarios: results, views }
}
