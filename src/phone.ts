/** @module Business numbers: one canonical E.164 form for paths, config and storage. */
import { FlowkeyError } from './errors'

const E164 = /^\+?(\d{8,15})$/

/** `+919876543210`, `%2B919876543210` and `919876543210` all mean `+919876543210`. */
export function normalizePhone(raw: string): string {
  let text = raw.trim()
  try {
    text = decodeURIComponent(text)
  } catch {
    // A malformed escape is just an invalid number, reported below.
  }
  const match = E164.exec(text.trim())
  if (!match) {
    throw new FlowkeyError('invalid_phone', `"${raw.slice(0, 40)}" is not a phone number: expected 8 to 15 digits after an optional +`)
  }
  return `+${match[1]}`
}
