/** @module Counts what a check run costs (KV reads and writes, HTTP subrequests), for the run record and the benchmark. */
import { WRAPPED_NAMESPACE } from '../store/cache'

export interface RunCost {
  kv_reads: number
  kv_writes: number
  subrequests: number
}

const READS = new Set(['get', 'getWithMetadata', 'list'])
const WRITES = new Set(['put', 'delete'])

export function meterKv(kv: KVNamespace, cost: RunCost): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === WRAPPED_NAMESPACE) return target
      const value: unknown = Reflect.get(target, prop)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (typeof prop === 'string' && READS.has(prop)) cost.kv_reads++
        if (typeof prop === 'string' && WRITES.has(prop)) cost.kv_writes++
        return Reflect.apply(value, target, args)
      }
    },
  })
}

export function meterFetch(fetchFn: typeof fetch, cost: RunCost): typeof fetch {
  return (input, init) => {
    cost.subrequests++
    return fetchFn(input, init)
  }
}
