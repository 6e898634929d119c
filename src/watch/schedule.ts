/** @module The period of a cron expression, so /healthz can tell when runs have stopped. */

export const DEFAULT_INTERVAL_MS = 10 * 60_000
const MINUTE_MS = 60_000

/** Understands the usual shapes (`*\/10 * * * *`, `0,30 * * * *`, `5 * * * *`, `0 *\/2 * * *`); anything else counts as 10 minutes. */
export function cronIntervalMs(cron: string | null | undefined): number {
  const fields = (cron ?? '').trim().split(/\s+/)
  if (fields.length < 5) return DEFAULT_INTERVAL_MS
  const [minute, hour] = fields
  const minutes = fieldStep(minute, 60)
  if (minutes === null) return DEFAULT_INTERVAL_MS
  if (minutes < 60) return minutes * MINUTE_MS
  const hours = fieldStep(hour, 24)
  return (hours === null ? 24 : hours) * 60 * MINUTE_MS
}

/** The gap between firings within one field's range; the range itself when it fires once. */
function fieldStep(field: string, range: number): number | null {
  if (field === '*') return 1
  const step = /^\*\/(\d+)$/.exec(field)
  if (step) return Number(step[1]) || null
  if (!/^\d+(,\d+)*$/.test(field)) return null
  const values = field.split(',').map(Number).sort((a, b) => a - b)
  if (values.length === 1) return range
  let widest = values[0] + range - values[values.length - 1]
  for (let i = 1; i < values.length; i++) widest = Math.max(widest, values[i] - values[i - 1])
  return widest
}
