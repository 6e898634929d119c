/** @module Business numbers: one canonical E.164 form for paths, config and storage. */
import { clip } from './clip'
import { FlowkeyError } from './errors'

import { PHONE_PATTERN, PHONE_RULE } from './rules/phone-rule'

/** The one sentence for a value that is not a phone number. */
export function notAPhone(raw: string): string {
  return `"${clip(raw)}" is not a phone number: ${PHONE_RULE}`
}

/**
 * `+919876543210` and `919876543210` both mean `+919876543210` (in a path,
 * `%2B919876543210` arrives here already decoded). Nothing else is accepted:
 * no spaces, no second decoding.
 */
export function normalizePhone(raw: string): string {
  const match = PHONE_PATTERN.exec(raw)
  if (!match) throw new FlowkeyError('invalid_phone', notAPhone(raw))
  return `+${match[1]}`
}
