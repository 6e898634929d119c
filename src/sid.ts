/** @module Kaleyra account SIDs: one rule for KALEYRA_SID and for SIDs sent to the operator routes. */

/** Letters, digits, `-` and `_`: a SID is a path segment of every Kaleyra request, so `.`, `/` and `%` are never allowed. */
const SID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const SID_RULE = 'letters, digits, - or _, at most 64 characters'

export function isSid(value: unknown): value is string {
  return typeof value === 'string' && SID_PATTERN.test(value)
}
