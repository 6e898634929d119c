/** @module A bench-only worker: on each request, N endpoint probes (flowkey's real probe code) or N bare POSTs to the same endpoint, so their CPU can be told apart. */
import { probeEndpoint } from '../../src/probe/probe'
import type { RsaPublicJwk } from '../../src/probe/flow-crypto'

interface Job {
  mode: 'probe' | 'post'
  url: string
  jwk: RsaPublicJwk
  count: number
}

export default {
  async fetch(request: Request): Promise<Response> {
    const job = await request.json<Job>()
    const outcomes: Record<string, number> = {}
    for (let i = 0; i < job.count; i++) {
      let outcome: string
      if (job.mode === 'probe') {
        outcome = (await probeEndpoint({ url: job.url, key: job.jwk, appSecret: null }, { fetch, now: Date.now })).outcome
      } else {
        // The same round trip without the cryptography: what the probe costs on top of any POST.
        const response = await fetch(job.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', redirect: 'manual' })
        await response.arrayBuffer()
        outcome = String(response.status)
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
    }
    return Response.json({ outcomes })
  },
} satisfies ExportedHandler
