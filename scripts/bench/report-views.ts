/** @module Table rows of the views at two fleet sizes, the flood against the watcher's work, and the one-minute cron's firings. */
import type { FloodPhase } from './flood.js'
import type { PileUpResult } from './pile-up.js'
import type { ServingScenario } from './serving.js'
import { formatCount, formatMs, formatRatio, type Row } from './table.js'
import type { ViewTimings } from './views.js'

/** A view at 10,000 numbers costs at most this many times what it costs at 100, in the same run. */
export const MAX_VIEW_SCALING = 2
/** The flood of views may slow the watcher's work no more than this times the same flood of key requests does. */
export const MAX_FLOOD_RATIO = 1.25

export function viewRows(small: ViewTimings, large: ViewTimings): Row[] {
  const views: [string, keyof Pick<ViewTimings, 'home' | 'healthz' | 'status' | 'search'>][] = [
    ['GET / (status page)', 'home'],
    ['GET /healthz', 'healthz'],
    ['GET /v1/status?limit=100', 'status'],
    [`GET /?q=<6 digits of one number>`, 'search'],
  ]
  return views.map(([name, key]) => ({
    section: 'views',
    measure: `${name} at ${formatCount(large.numbers)} numbers, median`,
    figure: formatMs(large[key]),
    reference: `${formatMs(small[key])} at ${formatCount(small.numbers)} numbers`,
    ratio: large[key] / small[key],
    target: `<= ${MAX_VIEW_SCALING.toFixed(2)}`,
    met: large[key] / small[key] <= MAX_VIEW_SCALING,
  }))
}

/** The warm key route at fleet size against the same route at the serving section's size, each as a share of its own baseline. */
export function keyScalingRow(atSmall: ServingScenario | undefined, smallNumbers: number, atLarge: { numbers: number; ratio: number }): Row[] {
  if (!atSmall) return []
  const small = atSmall.comparison.ratio.requestsPerSecond
  return [
    {
      section: 'fleet',
      measure: `  warm req/s share of baseline at ${formatCount(atLarge.numbers)} numbers, against the same route at ${formatCount(smallNumbers)}`,
      figure: formatRatio(atLarge.ratio),
      reference: `${formatRatio(small)} at ${formatCount(smallNumbers)} numbers`,
      ratio: atLarge.ratio / small,
      target: '',
      met: null,
    },
  ]
}

export function floodRows(phases: readonly FloodPhase[]): Row[] {
  const quiet = phases.find((p) => p.name === 'quiet')
  const keys = phases.find((p) => p.name === 'keys')
  if (!quiet || !keys) return []
  const words = { quiet: 'quiet', views: 'anonymous GET / and /healthz flood', keys: 'key request flood (KV only)' }
  return phases.flatMap((p): Row[] => [
    {
      section: 'flood',
      measure: `${words[p.name]}: operator PUT, median${p.floodPerS ? ` (flood ${formatCount(p.floodPerS)} answers/s)` : ''}`,
      figure: formatMs(p.putMs),
      reference: p.name === 'views' ? `${formatMs(keys.putMs)} under the key flood` : p.name === 'keys' ? `${formatMs(quiet.putMs)} quiet` : '',
      ratio: p.name === 'views' ? p.putMs / keys.putMs : null,
      target: p.name === 'views' ? `<= ${MAX_FLOOD_RATIO.toFixed(2)}` : '',
      met: p.name === 'views' ? p.putMs / keys.putMs <= MAX_FLOOD_RATIO : null,
    },
    {
      section: 'flood',
      measure: `  check run under way: look-ups/s`,
      figure: formatCount(p.lookUpsPerS),
      reference:
        p.name === 'views' ? `${formatCount(keys.lookUpsPerS)} under the key flood` : p.name === 'keys' ? `${formatCount(quiet.lookUpsPerS)} quiet` : '',
      ratio: p.name === 'views' && keys.lookUpsPerS > 0 ? p.lookUpsPerS / keys.lookUpsPerS : null,
      target: p.name === 'views' ? `>= ${(1 / MAX_FLOOD_RATIO).toFixed(2)}` : '',
      met: p.name === 'views' ? keys.lookUpsPerS === 0 || p.lookUpsPerS / keys.lookUpsPerS >= 1 / MAX_FLOOD_RATIO : null,
    },
  ])
}

export function pileUpRows(r: PileUpResult): Row[] {
  const allHealthy = r.healthStatuses.every((s) => s === 200)
  return [
    {
      section: 'checking',
      measure: `one-minute cron fired ${r.firings} times ${r.everyMs / 1000} s apart (each while a run drains): one number's look-ups at once, at most`,
      figure: formatCount(r.maxPerNumber),
      reference: `${formatCount(r.queued)} checks queued, ${formatCount(r.skipped)} skipped as still queued, ${formatCount(r.lookUps)} look-ups`,
      ratio: r.maxPerNumber,
      target: '<= 1.00',
      met: r.maxPerNumber <= 1,
    },
    {
      section: 'checking',
      measure: '  /healthz after each firing',
      figure: r.healthStatuses.join(' '),
      reference: 'never stale while runs drain',
      ratio: null,
      target: 'all 200',
      met: allHealthy,
    },
  ]
}
