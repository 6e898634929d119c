/** @module The views at a fleet size: GET /, /healthz, /v1/status?limit=100 and a ?q= search, each timed one request at a time (median). */
import { performance } from 'node:perf_hooks'
import { ADMIN_TOKEN } from './flowkey.js'
import { median } from './load.js'

export interface ViewTimings {
  numbers: number
  /** Median ms of each view. */
  home: number
  healthz: number
  status: number
  search: number
  /** The digits searched for: a few of one number's, so the search finds that number and few others. */
  searched: string
}

const WARM_UP = 3

export async function timeViews(base: string, phones: readonly string[], samples: number): Promise<ViewTimings> {
  const target = phones[Math.floor(phones.length / 3)] ?? phones[0] ?? ''
  const searched = target.slice(-6)
  const time = async (path: string, operator = false): Promise<number> => {
    const out: number[] = []
    for (let i = 0; i < WARM_UP + samples; i++) {
      const t = performance.now()
      const response = await fetch(`${base}${path}`, operator ? { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } } : {})
      const body = await response.text()
      // /healthz may say 503 (a stale run, a problem under strict): still a view, and still timed.
      if (response.status !== 200 && !(path === '/healthz' && response.status === 503))
        throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`)
      if (path.startsWith('/?q=') && !body.includes(target)) throw new Error(`GET ${path} did not list ${target}`)
      if (i >= WARM_UP) out.push(performance.now() - t)
    }
    return median(out)
  }
  return {
    numbers: phones.length,
    home: await time('/'),
    healthz: await time('/healthz'),
    status: await time('/v1/status?limit=100', true),
    search: await time(`/?q=${searched}`),
    searched,
  }
}
