/** @module Validates what operators send for the watch list: one number (PUT) or many (POST /v1/numbers, JSON or CSV). */
import { clip } from '../clip'
import type { Config } from '../config'
import { FlowkeyError } from '../errors'
import { isPod, type PodSetting } from '../sources/kaleyra/pods'
import type { WatchEntry } from '../ledger/watch-list'
import { normalizePhone } from '../phone'
import { checkEndpointUrl, type EndpointRules } from '../probe'
import { isSid } from '../sid'
import { parseLabels } from '../labels/labels'
import { CsvError, readCsvTable } from './csv'
import { MAX_IMPORT_ENTRIES } from '../rules/limits'
import { planRead } from '../sources/plan-read'
import { CSV_COLUMNS } from './schemas/operator'
import { parseSourceFields } from './source-entry'

export { CSV_COLUMNS }

export interface EntryProblem {
  index: number
  /** CSV only: the file line the entry starts on. */
  line?: number
  phone: string | null
  message: string
}

/** One entry's fields, with the number given by the path (PUT) or by the entry itself (import); `ownOrigin` is where the request reached flowkey. */
export function parseEntry(config: Config, phone: string, body: Record<string, unknown>, ownOrigin: string | null): WatchEntry {
  const fields = parseSourceFields(body)
  const rules = { allowPrivate: config.allowPrivateEndpoints, ownOrigin }
  // The sid and pod columns are Kaleyra's: another source's number keeps them empty.
  if (fields.source !== 'kaleyra') return withEndpoint({ phone, sid: '', pod: 'auto', ...fields }, body, rules)
  const sid = body.sid ?? config.sid
  if (!isSid(sid)) {
    throw new FlowkeyError(
      'invalid_request',
      '"sid" must be the Kaleyra account SID (1 to 64 letters, digits, - or _); it may be left out when KALEYRA_SID is set',
    )
  }
  const podValue = body.pod ?? 'auto'
  if (typeof podValue !== 'string' || !(podValue === 'auto' || isPod(podValue))) {
    throw new FlowkeyError('invalid_request', '"pod" must be one of auto, in, sg, eu, na')
  }
  return withEndpoint({ phone, sid, pod: podValue as PodSetting, ...fields }, body, rules)
}

function withEndpoint(entry: WatchEntry, body: Record<string, unknown>, rules: EndpointRules): WatchEntry {
  if ('endpoint_url' in body) entry.endpoint_url = parseEndpointUrl(body.endpoint_url, rules)
  if ('labels' in body && body.labels !== undefined) entry.labels = parseLabels(body.labels)
  return entry
}

/** Said when a number is added: the secret its checks will look for is not set (they fail with missing_credentials until it is). */
export function credentialWarnings(config: Config, entry: WatchEntry): string[] {
  if (entry.source === 'kaleyra') {
    return config.apiKeysBySid.has(entry.sid) || config.defaultApiKey
      ? []
      : [`No API key for SID ${entry.sid}: set the secret KALEYRA_API_KEY_${entry.sid} (or KALEYRA_API_KEY) or its checks will fail`]
  }
  const plan = planRead(config.sources, entry.phone, entry)
  if (!('missing' in plan)) return []
  return [`No credentials: set the secret ${plan.missing}${plan.fallback ? ` (or ${plan.fallback})` : ''} or its checks will fail with missing_credentials`]
}

/** The probe's rule (endpoint-url.ts): public https:, never flowkey itself; null removes the endpoint. */
export function parseEndpointUrl(value: unknown, rules: EndpointRules): string | null {
  if (value === null) return null
  if (typeof value !== 'string') throw new FlowkeyError('invalid_request', '"endpoint_url" must be a URL string, or null to remove it')
  return checkEndpointUrl(value, rules)
}

/** The whole import, all or nothing: every bad entry is listed, and none is applied while any is bad. */
export function parseImport(config: Config, contentType: string, text: string, ownOrigin: string | null): { entries: WatchEntry[]; problems: EntryProblem[] } {
  const raw = contentType.toLowerCase().startsWith('text/csv') ? csvRows(text) : jsonRows(text)
  if (raw.length > MAX_IMPORT_ENTRIES) {
    throw new FlowkeyError('invalid_request', `An import holds at most ${MAX_IMPORT_ENTRIES} entries; this one has ${raw.length}: split it`)
  }
  const entries: WatchEntry[] = []
  const problems: EntryProblem[] = []
  const seen = new Set<string>()
  raw.forEach(({ fields: row, line, problem }, index) => {
    const given = typeof row.phone === 'string' ? row.phone : null
    try {
      if (problem) throw new FlowkeyError('invalid_request', problem)
      if (given === null) throw new FlowkeyError('invalid_request', '"phone" is required')
      const phone = normalizePhone(given)
      if (seen.has(phone)) throw new FlowkeyError('invalid_request', `${phone} appears more than once in this import`)
      seen.add(phone)
      entries.push(parseEntry(config, phone, row, ownOrigin))
    } catch (err) {
      problems.push({
        index,
        ...(line === undefined ? {} : { line }),
        phone: given === null ? null : clip(given),
        message: err instanceof Error ? err.message : String(err),
      })
    }
  })
  return { entries, problems }
}

/** One entry as given: CSV rows also carry their file line and any fault of the row itself. */
interface RawEntry {
  fields: Record<string, unknown>
  line?: number
  problem?: string | null
}

function jsonRows(text: string): RawEntry[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new FlowkeyError('invalid_request', 'The body is not valid JSON: expected {"numbers":[{"phone","sid","pod","endpoint_url"}]}, or text/csv')
  }
  const numbers = (value as { numbers?: unknown } | null)?.numbers
  if (!Array.isArray(numbers)) throw new FlowkeyError('invalid_request', 'The body must be {"numbers":[…]}')
  return numbers.map((n) => ({ fields: n && typeof n === 'object' && !Array.isArray(n) ? (n as Record<string, unknown>) : {} }))
}

/** RFC 4180 (csv.ts) with a header naming its columns in any order; an empty cell is a field not given. */
function csvRows(text: string): RawEntry[] {
  try {
    return readCsvTable(text, { known: CSV_COLUMNS, required: ['phone'] }).rows.map((row) => ({ fields: row.cells, line: row.line, problem: row.problem }))
  } catch (err) {
    if (err instanceof CsvError) throw new FlowkeyError('invalid_request', `The CSV cannot be read: ${err.message}`)
    throw err
  }
}
