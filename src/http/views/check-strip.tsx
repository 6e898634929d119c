/** @module A number's recent checks as a strip of marks, one per run, coloured by outcome, each with its time and outcome in words (pure JSX). */
import type { CheckMark, CheckMarkOutcome } from '../../ledger/check-strip'

/** Colour never carries the meaning alone: every mark has its words as a title, and the strip a sentence for screen readers. */
const WORDS: Record<CheckMarkOutcome, string> = {
  ok: 'key ok',
  failed: 'check failed',
  no_key: 'no key',
  signature: 'signature not valid',
  endpoint: 'endpoint mismatch or failing',
}

export function CheckStrip(props: { checks: readonly CheckMark[] }) {
  const { checks } = props
  if (checks.length === 0) return null
  const counts = new Map<CheckMarkOutcome, number>()
  for (const mark of checks) counts.set(mark.outcome, (counts.get(mark.outcome) ?? 0) + 1)
  const summary = [...counts].map(([outcome, n]) => `${n} ${WORDS[outcome]}`).join(', ')
  const changes = checks.filter((mark, i) => i > 0 && mark.outcome !== checks[i - 1].outcome).length
  const label = `Last ${checks.length} checks, oldest first: ${summary}; the outcome changed ${changes} time${changes === 1 ? '' : 's'}.`
  return (
    <span class="strip" role="img" aria-label={label}>
      {checks.map((mark) => (
        <span class={`mark ${mark.outcome}`} title={`${mark.at.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}: ${WORDS[mark.outcome]}`} />
      ))}
    </span>
  )
}

/** The strip's colours in words, once per page. */
export function StripLegend() {
  return (
    <p class="legend">
      Checks, oldest first:{' '}
      {(Object.keys(WORDS) as CheckMarkOutcome[]).map((outcome) => (
        <span>
          <span class={`mark ${outcome}`} aria-hidden="true" /> {WORDS[outcome]}{' '}
        </span>
      ))}
    </p>
  )
}
