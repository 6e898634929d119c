/** @module `flowkey mute` and `flowkey unmute`: a number's notifications held until a time (a duration from now or an ISO time), or released. */
import { PHONE_PATTERN, PHONE_RULE } from '../../src/rules/phone-rule.js'
import { CliError, callApi, type ApiOptions } from './api.js'

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
/** One or more `<count><unit>` parts, largest first by habit but in any order: `30m`, `2h`, `7d`, `1d12h`. */
const DURATION = /^(?:\d+[smhd])+$/
/** A date with its clock and zone, as the worker accepts it; a time without a zone would depend on this machine's. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i
const UNTIL_HELP = 'give a duration from now (30m, 2h, 7d, 1d12h) or an ISO time with its zone (2026-12-24T18:00:00Z)'

interface MuteAnswer {
  phone: string
  muted: { until: string; reason: string; muted_at: string }
}

/**
 * Pure: `--until` as the ISO time the worker takes. Only the form is judged here; whether the time is in the future and
 * within the worker's limit is the worker's rule, and its 400 says so.
 */
export function resolveUntil(given: string, now: number): string {
  const text = given.trim()
  if (DURATION.test(text)) {
    let ms = 0
    for (const [, count, unit] of text.matchAll(/(\d+)([smhd])/g)) ms += Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS]
    if (ms <= 0) throw new CliError(`--until "${text}" is no time at all: ${UNTIL_HELP}`, 2)
    return new Date(now + ms).toISOString()
  }
  if (ISO_TIME.test(text) && !Number.isNaN(Date.parse(text))) return new Date(Date.parse(text)).toISOString()
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) throw new CliError(`--until "${text}" has no zone: add Z for UTC or an offset such as +05:30`, 2)
  throw new CliError(`--until "${text.slice(0, 40)}" is neither a duration nor an ISO time: ${UNTIL_HELP}`, 2)
}

/** The phone argument in the worker's one form, `+<digits>`; refused here, before any request, when it cannot be one. */
export function phoneArgument(raw: string): string {
  const match = PHONE_PATTERN.exec(raw.trim())
  if (!match) throw new CliError(`"${raw.slice(0, 30)}" is not a phone number: ${PHONE_RULE}`, 2)
  return `+${match[1]}`
}

/** PUT /v1/numbers/{phone}/mute; the line to print. */
export async function muteNumber(api: ApiOptions, rawPhone: string, until: string, reason: string | undefined, now: number): Promise<string> {
  const phone = phoneArgument(rawPhone)
  const body = JSON.stringify({ until: resolveUntil(until, now), ...(reason === undefined ? {} : { reason }) })
  const path = `/v1/numbers/${encodeURIComponent(phone)}/mute`
  const { muted } = (await callApi<MuteAnswer>(api, 'PUT', path, { body, contentType: 'application/json' })).body
  const why = muted.reason ? ` (${muted.reason})` : ''
  return `${phone} muted until ${muted.until}${why}: still checked and recorded, nothing sent until then.`
}

/** DELETE /v1/numbers/{phone}/mute (204, muted or not); the line to print. */
export async function unmuteNumber(api: ApiOptions, rawPhone: string): Promise<string> {
  const phone = phoneArgument(rawPhone)
  await callApi<null>(api, 'DELETE', `/v1/numbers/${encodeURIComponent(phone)}/mute`)
  return `${phone} is not muted: its notifications are sent again (a problem it still has is sent once now).`
}
