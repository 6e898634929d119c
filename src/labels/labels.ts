/** @module A number's labels (a solution provider's customers): the rule, its check, and the env suffix of a label's channels. */
import { FlowkeyError } from '../errors'

export const MAX_LABELS = 10
export const LABEL_PATTERN = /^[a-z0-9_-]{1,32}$/
export const LABEL_RULE = '1 to 32 of a-z, 0-9, _ and -'

/** `labels` as PUT, the JSON import and the CSV column give it: an array (or, from CSV, `a|b`); duplicates collapse, order is kept. */
export function parseLabels(value: unknown): string[] {
  const list = typeof value === 'string' ? (value.trim() === '' ? [] : value.split('|').map((l) => l.trim())) : value
  if (!Array.isArray(list)) throw new FlowkeyError('invalid_request', `"labels" must be an array of labels (${LABEL_RULE}), or [] to remove them`)
  const labels: string[] = []
  for (const label of list) {
    if (typeof label !== 'string' || !LABEL_PATTERN.test(label)) {
      const shown = typeof label === 'string' ? `"${label.slice(0, 40)}"` : JSON.stringify(label)?.slice(0, 40)
      throw new FlowkeyError('invalid_request', `"labels": ${shown} is not a label: each is ${LABEL_RULE}`)
    }
    if (!labels.includes(label)) labels.push(label)
  }
  if (labels.length > MAX_LABELS) throw new FlowkeyError('invalid_request', `"labels": at most ${MAX_LABELS} per number; this one has ${labels.length}`)
  return labels
}

/** The numbers carrying a label (`?label=`), or all of them without one; a label nobody carries is an empty view. */
export function withLabel<T extends { labels: readonly string[] }>(list: readonly T[], label: string | null | undefined): readonly T[] {
  return label ? list.filter((n) => n.labels.includes(label)) : list
}

/** The `<LABEL>` of `SLACK_WEBHOOK_URL_<LABEL>`: upper-cased, `-` written `_` (a variable name has no `-`). */
export function labelEnvSuffix(label: string): string {
  return label.toUpperCase().replace(/-/g, '_')
}
