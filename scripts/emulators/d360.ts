/** @module 360dialog emulator: `GET /whatsapp_business_encryption`, where the D360-API-KEY header selects the channel; Meta's shapes and Meta-shaped errors. */
import { GRAPH_FAULTS, graphError, graphKeyBody } from './meta-graph.js'
import { startSourceEmulator, type Dialect, type SourceEmulator } from './source-emulator.js'

export const d360Dialect: Dialect = {
  name: '360dialog',
  identify({ url, headers }, state) {
    // 360dialog warns that a phone number id in the path causes errors: only the bare path is the read.
    if (url.pathname !== '/whatsapp_business_encryption') return { answer: graphError(404, 100, `Unsupported path ${url.pathname}`) }
    const key = headers['d360-api-key']
    const number = typeof key === 'string' ? [...state.numbers.values()].find((n) => n.credential === key) : undefined
    if (!number) return { answer: graphError(401, 0, 'Invalid D360-API-KEY') }
    return { number }
  },
  keyAnswer: (number) => ({ status: 200, body: graphKeyBody(number) }),
  faults: GRAPH_FAULTS,
}

export function startD360(opts: { port?: number; log?: (line: string) => void } = {}): Promise<SourceEmulator> {
  return startSourceEmulator(d360Dialect, opts)
}
