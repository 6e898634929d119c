/** @module `Retry-After` read once for every caller (key sources and notification receivers alike). */

/**
 * `Retry-After` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `realNow`;
 * null when absent or unreadable, so the caller's own schedule decides.
 */
export function parseRetryAfter(value: string | null, realNow: number): number | null {
  const text = value?.trim()
  if (!text) return null
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // HTTP-dates name a weekday and month; anything else Date.parse might accept ("1.5") is no date.
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(at) ? null : Math.max(0, at - realNow)
}
