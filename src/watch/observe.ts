/** @module One number, one look: ask its source (Kaleyra on its pod, or each pod in turn for `auto`; any other source once) and read the key. */
import { apiKeyFor, type Config } from '../config'
import { FlowkeyError, toErrorInfo } from '../errors'
import { AUTO_POD_ORDER, POD_BASE_URLS, type Pod, type PodSetting } from '../sources/kaleyra/pods'
import { pemToBusinessKey } from '../keys/pem'
import { triesNextPod } from '../sources/failures'
import { planRead } from '../sources/plan-read'
import type { KeyAnswer, SourceFields } from '../sources/source'
import { kaleyraSource } from '../sources/kaleyra/adapter'
import { readKey, type ReadOptions } from '../sources/read-key'
import type { CircuitBreaker } from './circuit-breaker'
import type { Observation } from './decide'

export interface Look {
  observation: Observation
  /** The pod that answered, or the one last tried. */
  pod: Pod | null
}

export interface LookTarget extends SourceFields {
  phone: string
  sid: string
  pod: PodSetting
  /** For `auto`: the ledger's order (ranked by round trip, then the one that answered last); null: Kaleyra's default order. */
  order: readonly Pod[] | null
}

/** What the run lends each look-up: I/O, and the run's bounds (the breaker is per run, each pod its own circuit). */
export type LookUpOptions = Omit<ReadOptions, 'timeoutMs' | 'circuit' | 'redact'> & { breaker?: CircuitBreaker }

export async function lookUpKey(config: Config, target: LookTarget, client: LookUpOptions): Promise<Look> {
  if (target.source !== 'kaleyra') return lookElsewhere(config, target, client)
  if (!config.podUrls) {
    const error = new FlowkeyError('misconfigured', 'KALEYRA_POD_URLS is set but unusable (see /healthz): no Kaleyra pod is asked until it is fixed')
    return { observation: { kind: 'error', error: toErrorInfo(error) }, pod: null }
  }
  const apiKey = apiKeyFor(config, target.sid)
  if (!apiKey) {
    const error = new FlowkeyError('misconfigured', `No API key for SID ${target.sid}: set KALEYRA_API_KEY_${target.sid} or KALEYRA_API_KEY`)
    return { observation: { kind: 'error', error: toErrorInfo(error) }, pod: null }
  }
  let first: Look | null = null
  for (const pod of podsToTry(config, target)) {
    const look = await lookOnPod(config, target, pod, apiKey, client, config.podUrls[pod])
    if (look.observation.kind !== 'error') return look
    first ??= look
    // Only "this pod does not know the account", "cannot reach it" or "is failing" make another pod worth asking.
    if (target.pod !== 'auto' || !triesNextPod(look.observation.error.code)) break
  }
  return first ?? { observation: { kind: 'error', error: { code: 'misconfigured', message: 'No Kaleyra pod to ask' } }, pod: null }
}

/**
 * A fixed pod is asked alone. `auto` asks the pods in the ledger's order, then any
 * other; when KALEYRA_POD_URLS overrides some pods (a local or staging setup), only
 * those are asked, so nothing reaches a real pod by surprise.
 */
export function podsToTry(config: Config, target: Pick<LookTarget, 'pod' | 'order'>): Pod[] {
  if (!config.podUrls) return []
  if (target.pod !== 'auto') return [target.pod]
  const candidates = autoCandidates(config)
  const ordered = (target.order ?? []).filter((pod) => candidates.includes(pod))
  return [...ordered, ...candidates.filter((pod) => !ordered.includes(pod))]
}

/** The pods `auto` may ask at all: none while KALEYRA_POD_URLS is unusable. */
export function autoCandidates(config: Config): Pod[] {
  const urls = config.podUrls
  if (!urls) return []
  const overridden = AUTO_POD_ORDER.filter((pod) => urls[pod] !== POD_BASE_URLS[pod])
  return overridden.length > 0 ? overridden : [...AUTO_POD_ORDER]
}

async function lookOnPod(
  config: Config,
  target: LookTarget,
  pod: Pod,
  apiKey: NonNullable<ReturnType<typeof apiKeyFor>>,
  client: LookUpOptions,
  base: string,
): Promise<Look> {
  const { breaker, ...io } = client
  const read = () =>
    readKey(
      kaleyraSource,
      { base, sid: target.sid, phone: target.phone, apiKey },
      { ...io, timeoutMs: config.kaleyraTimeoutMs, redact: config.redact, circuit: breaker?.forHost(`Kaleyra pod ${pod}`) },
    )
  return { observation: await observe(config, read), pod }
}

/** Meta, 360dialog, AWS: one read with the number's credentials, or none at all when they are missing. */
async function lookElsewhere(config: Config, target: LookTarget, client: LookUpOptions): Promise<Look> {
  const plan = planRead(config.sources, target.phone, target)
  if ('missing' in plan) return { observation: { kind: 'error', error: { code: 'missing_credentials', message: plan.message } }, pod: null }
  const { breaker, ...io } = client
  const read = () => plan.read({ ...io, timeoutMs: config.kaleyraTimeoutMs, redact: config.redact, circuit: breaker?.forHost(plan.host) })
  return { observation: await observe(config, read), pod: null }
}

/** Whoever answered: a key is read into a JWK; a failure is kept as its code and a redacted sentence. */
async function observe(config: Config, read: () => Promise<KeyAnswer>): Promise<Look['observation']> {
  try {
    const answer = await read()
    if (answer.kind === 'no_key') return answer
    const key = await pemToBusinessKey(answer.pem)
    return { kind: 'key', key, signatureStatus: answer.signatureStatus }
  } catch (err) {
    // The reader redacts what the source says; this also covers what the key's parser quotes back (a PEM label).
    const error = toErrorInfo(err)
    return { kind: 'error', error: { ...error, message: config.redact(error.message) } }
  }
}
