/** @module The one rule for echoing what a client sent: a value quoted back in an error is cut short and says so. */

/** Long enough to recognise a phone, an SID or a path; far too short to echo an upload back. */
export const ECHO_MAX_CHARS = 40

/** `text` as given when short; else its first `max` characters and `…`. */
export function clip(text: string, max = ECHO_MAX_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}
