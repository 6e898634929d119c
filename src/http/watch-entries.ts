/** @module Validates what operators send for the watch list: one number (PUT) or many (POST /v1/numbers, JSON or CSV). */
import type { Config } from '../config'
import { FlowkeyError } from '../errors'
import { isPod, type PodSetting } from '../kaleyra/pods'
import type { WatchEntry } from '../ledger/watch-list'
import { normalizePhone } from '../phone'
import { checkEndpointUrl } from '../probe'
import { isSid } from '../sid'
import { parseLabels } from '../labels/labels'

/** The bulk import's limit (INTERFACE.md). */
export const MAX_IMPORT_ENTRIES = 10_000
const CSV_HEADER = ['phone', 'sid', 'pod', 'endpoint_url']

export interface EntryProblem {
  index: number
  phone: string | null
  message: string
}

/** One entry's fields, with the number given by the path (PUT) or by the entry itself (import). */
export function parseEntry(config: Config, phone: string, body: Record<string, unknown>): WatchEntry {
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
  const entry: WatchEntry = { phone, sid, pod: podValue as PodSetting }
  if ('endpoint_url' in body) entry.endpoint_url = parseEndpointUrl(body.endpoint_url)
  if ('labels' in body && body.labels !== undefined) entry.labels = parseLabels(body.labels)
  return entry
}

/** Only https:, or http: on loopback for local use (the probe's rule); null removes the endpoint. */
export function parseEndpointUrl(value: unknown): string | null {
  if (value === null) return null
  if (typeof value !== 'string') throw new FlowkeyError('invalid_request', '"endpoint_url" must be a URL string, or null to remove it')
  return checkEndpointUrl(value)
}

/** The whole import, all or nothing: every bad entry is listed, and none is applied while any is bad. */
export function parseImport(config: Config, contentType: string, text: string): { entries: WatchEntry[]; problems: EntryProblem[] } {
  const raw = contentType.toLowerCase().startsWith('text/csv') ? csvRows(text) : jsonRows(text)
  if (raw.length > MAX_IMPORT_ENTRIES) {
    throw new FlowkeyError('invalid_request', `An import holds at most ${MAX_IMPORT_ENTRIES} entries; this one has ${raw.length}: split it`)
  }
  const entries: WatchEntry[] = []
  const problems: EntryProblem[] = []
  const seen = new Set<string>()
  raw.forEach((row, index) => {
    const given = typeof row.phone === 'string' ? row.phone : null
    try {
      if (given === null) throw new FlowkeyError('invalid_request', '"phone" is required')
      const phone = normalizePhone(given)
      if (seen.has(phone)) throw new FlowkeyError('invalid_request', `${phone} appears more than once in this import`)
      seen.add(phone)
      entries.push(parseEntry(config, phone, row))
    } catch (err) {
      problems.push({ index, phone: given, message: err instanceof Error ? err.message : String(err) })
    }
  })
  return { entries, problems }
}

function jsonRows(text: string): Record<string, unknown>[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new FlowkeyError('invalid_request', 'The body is not valid JSON: expected {"numbers":[{"phone","sid","pod","endpoint_url"}]}, or text/csv')
  }
  const numbers = (value as { numbers?: unknown } | null)?.numbers
  if (!Array.isArray(numbers)) throw new FlowkeyError('invalid_request', 'The body must be {"numbers":[…]}')
  return numbers.map((n) => (n && typeof n === 'object' && !Array.isArray(n) ? (n as Record<string, unknown>) : {}))
}

/** RFC 4180 rows with the header `phone,sid,pod,endpoint_url`; an empty cell is a field not given. */
function csvRows(text: string): Record<string, unknown>[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase())
  if (header.length !== CSV_HEADER.length || header.some((h, i) => h !== CSV_HEADER[i])) {
    throw new FlowkeyError('invalid_request', `The CSV must start with the header line "${CSV_HEADER.join(',')}"`)
  }
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line)
    const row: Record<string, unknown> = {}
    CSV_HEADER.forEach((name, i) => {
      const cell = cells[i]?.trim()
      if (cell) row[name] = cell
    })
    return row
  })
}

/** One line, quotes allowed (`""` is a quote); a single pass, so no input makes it slow. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      cells.push(cell)
      cell = ''
    } else cell += ch
  }
  cells.push(cell)
  return cells
}
