/** @module A dead-man's switch: HEARTBEAT_URL hears once from every complete run, after the run is saved. */
import type { Config } from '../config'
import { readMeta, writeMeta } from './schema'

const HEARTBEAT_TIMEOUT_MS = 5_000

export interface HeartbeatState {
  at: string
  ok: boolean
  error: string | null
}

export async function pingHeartbeat(sql: SqlStorage, config: Config, fetchFn: typeof fetch, now: number): Promise<void> {
  if (!readMeta<boolean>(sql, 'heartbeat_due')) return
  writeMeta(sql, 'heartbeat_due', false)
  if (!config.heartbeatUrl) return
  const at = new Date(now).toISOString()
  let state: HeartbeatState
  try {
    const response = await fetchFn(config.heartbeatUrl, { method: 'GET', signal: AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS), redirect: 'follow' })
    await response.body?.cancel()
    state = { at, ok: response.ok, error: response.ok ? null : `HEARTBEAT_URL answered ${response.status}` }
  } catch (err) {
    // A network error can quote the URL, whose query may hold the monitor's token: cut to the error's kind.
    const reason = config.redact(err instanceof Error ? err.message : String(err)).slice(0, 200)
    state = { at, ok: false, error: `HEARTBEAT_URL could not be reached (${reason})` }
  }
  writeMeta(sql, 'heartbeat', state)
  if (!state.ok) console.log(JSON.stringify({ msg: 'heartbeat failed', level: 'warn', error: state.error }))
}

export function readHeartbeat(sql: SqlStorage): HeartbeatState | null {
  return readMeta<HeartbeatState>(sql, 'heartbeat')
}
