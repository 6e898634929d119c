/** @module Which secrets the watched numbers need and nobody set: one problem per secret, naming it (never a value), for /healthz. */
import { planRead } from './plan-read'
import type { SourceSettings } from './settings'
import { SOURCE_INFO, type SourceFields } from './source'

export interface CredentialProblem {
  name: string
  message: string
}

const EXAMPLES = 3

/** Pure: the numbers of other sources than Kaleyra (whose key is checked with the config's own problems), grouped by the secret they lack. */
export function credentialProblems(settings: SourceSettings, numbers: readonly (SourceFields & { phone: string })[]): CredentialProblem[] {
  const missing = new Map<string, { fallback: string | null; source: string; phones: string[] }>()
  for (const n of numbers) {
    if (n.source === 'kaleyra') continue
    const plan = planRead(settings, n.phone, n)
    if (!('missing' in plan)) continue
    const entry = missing.get(plan.missing) ?? { fallback: plan.fallback, source: SOURCE_INFO[n.source].words, phones: [] }
    entry.phones.push(n.phone)
    missing.set(plan.missing, entry)
  }
  return [...missing].map(([name, { fallback, source, phones }]) => {
    const count =
      phones.length === 1 ? `${phones[0]} is` : `${phones.length} numbers are (${phones.slice(0, EXAMPLES).join(', ')}${phones.length > EXAMPLES ? ', …' : ''})`
    return {
      name,
      message: `${name} is not set, so ${count} not checked on ${source}: set it with \`npx wrangler secret put ${name}\`${fallback ? ` (or set ${fallback} for every account without its own)` : ''}. Meanwhile their checks fail with missing_credentials and the last good keys stay served`,
    }
  })
}
