/** @module Business numbers: one canonical E.164 form for paths, config and storage. */
import { clip } from './clip'
import { FlowkeyError } from './errors'

/** E.164: a country code never starts with 0, so `00…` (an international dialling prefix) and `+0…` are refused. */
const E164 = /^\+?([1-9]\d{7,14})$/

/**
 * `+919876543210` and `919876543210` both mean `+919876543210` (in a path,
 * `%2B919876543210` arrives here already decoded). Nothing else is accepted:
 * no spaces, no second decoding.
 */
export function normalizePhone(raw: string): string {
  const match = E164.exec(raw)
  if (!match) {
    throw new FlowkeyError('invalid_phone', `"${clip(raw)}" is not a phone number: expected 8 to 15 digits after an optional +, the first not 0`)
  }
  return `+${match[1]}`
}
