/** @module Per SID: the pod that answered last, and for `auto` the pods ranked by measured round trip. */
import { isPod, type Pod } from '../sources/kaleyra/pods'

export interface PodRanking {
  sid: string
  /** Pods that serve the account, nearest first. */
  ranking: Pod[]
  /** What each measured pod did: its round trip, or why it was left out. */
  measured: PodMeasurement[]
  measured_at: number
  remembered: Pod | null
}

export interface PodMeasurement {
  pod: Pod
  /** serving: answered for the account; refused: RBC001/WA-401 for this SID; down: time-out, 5xx, unreachable. */
  result: 'serving' | 'refused' | 'down'
  rtt_ms: number | null
}

type PodRow = {
  sid: string
  ranking: string
  measured_at: number
  remembered: string | null
}

export function readRankings(sql: SqlStorage): Map<string, PodRanking> {
  const found = new Map<string, PodRanking>()
  for (const row of sql.exec<PodRow>('SELECT sid, ranking, measured_at, remembered FROM pods').toArray()) {
    const measured = JSON.parse(row.ranking) as PodMeasurement[]
    found.set(row.sid, {
      sid: row.sid,
      ranking: rank(measured),
      measured,
      measured_at: row.measured_at,
      remembered: row.remembered && isPod(row.remembered) ? row.remembered : null,
    })
  }
  return found
}

/** Serving pods by round trip; refused and down pods are left out (down ones are tried last by the look-up). */
export function rank(measured: readonly PodMeasurement[]): Pod[] {
  return measured
    .filter((m) => m.result === 'serving')
    .sort((a, b) => (a.rtt_ms ?? Infinity) - (b.rtt_ms ?? Infinity))
    .map((m) => m.pod)
}

export function writeRanking(sql: SqlStorage, sid: string, measured: readonly PodMeasurement[], at: number): void {
  sql.exec(
    `INSERT INTO pods (sid, ranking, measured_at, remembered) VALUES (?, ?, ?, NULL)
     ON CONFLICT (sid) DO UPDATE SET ranking = excluded.ranking, measured_at = excluded.measured_at`,
    sid,
    JSON.stringify(measured),
    at,
  )
}

export function rememberPod(sql: SqlStorage, sid: string, pod: Pod): void {
  sql.exec(
    `INSERT INTO pods (sid, ranking, measured_at, remembered) VALUES (?, '[]', 0, ?)
     ON CONFLICT (sid) DO UPDATE SET remembered = excluded.remembered`,
    sid,
    pod,
  )
}
