/** @module For KALEYRA_POD=auto: measures which pods serve a SID and how fast, with one short look-up per pod. */
import { apiKeyFor, type Config } from '../config'
import { toErrorInfo } from '../errors'
import { meansRefused } from '../sources/failures'
import { kaleyraSource } from '../sources/kaleyra/adapter'
import { readKey } from '../sources/read-key'
import type { Pod } from '../sources/kaleyra/pods'
import type { PodMeasurement } from '../ledger/pod-table'

/** A pod slower than this is no candidate for "nearest" anyway. */
export const MEASURE_TIMEOUT_MS = 2_000

/**
 * The same bodiless Get the check makes (the only call flowkey makes), once per pod in
 * parallel, timed on the wall clock: serving pods rank by round trip, a pod that refuses
 * the SID or is down is left out of the ranking.
 */
export async function measurePods(
  config: Config,
  sid: string,
  phone: string,
  pods: readonly Pod[],
  io: { fetch: typeof fetch; clock: () => number },
): Promise<PodMeasurement[]> {
  const apiKey = apiKeyFor(config, sid)
  const urls = config.podUrls
  // An unusable KALEYRA_POD_URLS stops every request, measurements included.
  if (!apiKey || !urls) return []
  return Promise.all(
    pods.map(async (pod): Promise<PodMeasurement> => {
      const start = io.clock()
      try {
        await readKey(
          kaleyraSource,
          { base: urls[pod], sid, phone, apiKey },
          { fetch: io.fetch, timeoutMs: Math.min(MEASURE_TIMEOUT_MS, config.kaleyraTimeoutMs), attempts: 1, redact: config.redact },
        )
        return { pod, result: 'serving', rtt_ms: io.clock() - start }
      } catch (err) {
        const { code } = toErrorInfo(err)
        return { pod, result: meansRefused(code) ? 'refused' : 'down', rtt_ms: null }
      }
    }),
  )
}
