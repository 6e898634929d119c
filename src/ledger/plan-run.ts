/** @module Splits the watch list into CHECKS messages, with each SID's pod order and whether to measure its pods first. */
import type { Config } from '../config'
import { autoCandidates } from '../watch/observe'
import { MAX_IN_FLIGHT } from '../watch/pool'
import { AUTO_POD_ORDER, type Pod } from '../sources/kaleyra/pods'
import { meansHostDown } from '../sources/failures'
import type { NumberStatus } from '../store/records'
import { readRankings } from './pod-table'
import { sourceFieldsOf } from './source-columns'
import type { CheckMessage } from './run-table'
import type { WatchedNumber } from './watch-list'

/** Pods are measured again at most this often... */
export const RANKING_MAX_AGE_MS = 24 * 60 * 60_000
/** ...or sooner, when a SID's checks fail in ways another pod might not (time-outs, 5xx, unreachable). */
export const RANKING_RETRY_AFTER_FAILURE_MS = 60 * 60_000

export function planBatches(sql: SqlStorage, config: Config, list: readonly WatchedNumber[], runId: string, now: number): CheckMessage[] {
  // Numbers of one SID travel together, so a batch measures and ranks each SID's pods once.
  const ordered = [...list].sort((a, b) => (a.sid === b.sid ? (a.phone < b.phone ? -1 : 1) : a.sid < b.sid ? -1 : 1))
  const rankings = readRankings(sql)
  const failingSids = sidsFailingOnPods(sql)
  const stale = (sid: string): boolean => {
    const ranking = rankings.get(sid)
    return (
      !ranking ||
      ranking.measured_at === 0 ||
      now - ranking.measured_at > RANKING_MAX_AGE_MS ||
      (failingSids.has(sid) && now - ranking.measured_at > RANKING_RETRY_AFTER_FAILURE_MS)
    )
  }
  const measureCost = autoCandidates(config).length
  const messages: CheckMessage[] = []
  // Every batch with a stale SID measures it, so the whole first run goes to the nearest pod; the measuring counts in the batch's budget.
  for (const chunk of chunkByCost(ordered, config.checkBatchSize, (n) => (n.source === 'kaleyra' && n.pod === 'auto' && stale(n.sid) ? measureCost : 0))) {
    const numbers = chunk.map((n) => ({ phone: n.phone, sid: n.sid, pod: n.pod, endpoint_url: n.endpoint_url, ...sourceFieldsOf(n) }))
    const pods: CheckMessage['pods'] = {}
    for (const n of numbers) {
      if (n.source !== 'kaleyra' || n.pod !== 'auto' || pods[n.sid]) continue
      const ranking = rankings.get(n.sid)
      pods[n.sid] = { order: podOrder(ranking?.ranking ?? [], ranking?.remembered ?? null), measure: stale(n.sid) }
    }
    messages.push({ run_id: runId, batch: messages.length, planned_at: now, numbers, pods })
  }
  return messages
}

/** Ranked pods first, then the one that answered last, then Kaleyra's default order. */
export function podOrder(ranking: readonly Pod[], remembered: Pod | null): Pod[] {
  const order: Pod[] = [...ranking]
  if (remembered && !order.includes(remembered)) order.push(remembered)
  for (const pod of AUTO_POD_ORDER) if (!order.includes(pod)) order.push(pod)
  return order
}

function sidsFailingOnPods(sql: SqlStorage): Set<string> {
  const sids = new Set<string>()
  for (const row of sql.exec<{ sid: string; status: string }>('SELECT sid, status FROM numbers').toArray()) {
    const status = JSON.parse(row.status) as NumberStatus
    if (status.consecutive_failures > 0 && status.error && meansHostDown(status.error.code)) sids.add(row.sid)
  }
  return sids
}

/**
 * Batches of at most `size` subrequests' worth: a number costs one look-up, one more when
 * its endpoint is probed, and the first of a SID in a batch what measuring its pods costs.
 * A full batch holds a multiple of the connections an invocation has (six), so none of them
 * idles while the last few numbers of a batch finish; the rest open the next batch.
 */
export function chunkByCost<T extends { endpoint_url: string | null; sid: string }>(
  list: readonly T[],
  size: number,
  sidCost: (item: T) => number = () => 0,
): T[][] {
  const costOf = (items: readonly T[]): number => {
    const sids = new Set<string>()
    let cost = 0
    for (const item of items) {
      cost += (item.endpoint_url ? 2 : 1) + (sids.has(item.sid) ? 0 : sidCost(item))
      sids.add(item.sid)
    }
    return cost
  }
  const chunks: T[][] = []
  let chunk: T[] = []
  for (const item of list) {
    if (chunk.length > 0 && costOf([...chunk, item]) > size) {
      const keep = chunk.length >= MAX_IN_FLIGHT ? chunk.length - (chunk.length % MAX_IN_FLIGHT) : chunk.length
      chunks.push(chunk.slice(0, keep))
      chunk = chunk.slice(keep)
    }
    chunk.push(item)
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}
