/**
 * @module The next firings of a five-field cron expression in UTC (Cloudflare's crons): minutes, hours, day of month,
 * month, day of week, with lists, ranges, steps, `*`, `?` and English names. Read as croner reads them (0 and 7 are
 * Sunday; day of month and day of week both restricted means either), in a few lines instead of croner's 18 KB.
 */

export interface CronSchedule {
  minutes: ReadonlySet<number>
  hours: ReadonlySet<number>
  days: ReadonlySet<number>
  months: ReadonlySet<number>
  weekdays: ReadonlySet<number>
  /** A `*` (or `?`) day field: the other day field alone decides. */
  anyDay: boolean
  anyWeekday: boolean
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']
/** A schedule that has not fired within this many days never will (30 February). */
const SEARCH_DAYS = 366 * 5

/** Throws a TypeError for anything it does not read (`L`, `W`, `#`, six fields, a value out of range). */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) throw new TypeError(`a cron expression has five fields: "${expression}"`)
  const [minute, hour, day, month, weekday] = fields
  const weekdays = parseField(weekday, 0, 7, WEEKDAYS, 0)
  // 7 is Sunday too.
  if (weekdays.delete(7)) weekdays.add(0)
  return {
    minutes: parseField(minute, 0, 59),
    hours: parseField(hour, 0, 23),
    days: parseField(day, 1, 31),
    months: parseField(month, 1, 12, MONTHS, 1),
    weekdays,
    anyDay: day === '*' || day === '?',
    anyWeekday: weekday === '*' || weekday === '?',
  }
}

function parseField(field: string, min: number, max: number, names: readonly string[] = [], firstName = 0): Set<number> {
  const values = new Set<number>()
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase())
    const n = named >= 0 ? named + firstName : /^\d+$/.test(text) ? Number(text) : NaN
    if (!(n >= min && n <= max)) throw new TypeError(`"${text}" is not a value from ${min} to ${max}`)
    return n
  }
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/')
    if (extra !== undefined) throw new TypeError(`"${part}" has two steps`)
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new TypeError(`"${part}" has a bad step`)
    let from: number
    let to: number
    if (range === '*' || range === '?') [from, to] = [min, max]
    else if (range.includes('-')) {
      const [a, b] = range.split('-')
      ;[from, to] = [value(a), value(b)]
      if (from > to) throw new TypeError(`"${part}" runs backwards`)
    } else {
      from = value(range)
      // `5/15` is 5, 20, 35, 50: a start with a step runs to the end.
      to = stepText === undefined ? from : max
    }
    for (let n = from; n <= to; n += step) values.add(n)
  }
  return values
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  if (!s.months.has(date.getUTCMonth() + 1)) return false
  const byDay = s.days.has(date.getUTCDate())
  const byWeekday = s.weekdays.has(date.getUTCDay())
  if (s.anyDay && s.anyWeekday) return true
  if (s.anyDay) return byWeekday
  if (s.anyWeekday) return byDay
  return byDay || byWeekday
}

/** The first firing strictly after `after` (ms), or null when there is none. Walks days, then hours, then minutes. */
export function nextFiring(s: CronSchedule, after: number): number | null {
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000)
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()))
  for (let d = 0; d < SEARCH_DAYS; d++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (!dayMatches(s, day)) continue
    const sameDay = d === 0
    for (let h = sameDay ? start.getUTCHours() : 0; h < 24; h++) {
      if (!s.hours.has(h)) continue
      const fromMinute = sameDay && h === start.getUTCHours() ? start.getUTCMinutes() : 0
      for (let m = fromMinute; m < 60; m++) if (s.minutes.has(m)) return day.getTime() + h * 3_600_000 + m * 60_000
    }
  }
  return null
}
