/** @module The phone rule, stated once (no imports, so the CLI reads it too): what a business number may look like. */

/** E.164's digits: a country code never starts with 0, so `00…` (an international dialling prefix) and `+0…` are refused. */
export const E164_DIGITS = '[1-9]\\d{7,14}'

/** A business number as paths and files may write it: the digits after an optional `+`. */
export const PHONE_PATTERN = new RegExp(`^\\+?(${E164_DIGITS})$`)

/** The rule in words, for every message that refuses a number. */
export const PHONE_RULE = 'expected 8 to 15 digits after an optional +, the first not 0'
