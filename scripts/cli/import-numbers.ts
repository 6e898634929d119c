/** @module `flowkey numbers import file.csv`: checks the file, then sends it through POST /v1/numbers in chunks of at most 10,000 entries. */
import { readFile } from 'node:fs/promises'
import { CsvError, formatCsvField, parseCsv } from '../../src/http/csv.js'
import { PHONE_PATTERN, PHONE_RULE } from '../../src/rules/phone-rule.js'
import { MAX_IMPORT_ENTRIES } from '../../src/rules/limits.js'
import { CliError, callApi, type ApiOptions } from './api.js'

/** The header of before, shown as the example. */
export const CSV_HEADER = 'phone,sid,pod,endpoint_url'

export interface ImportResult {
  added: number
  changed: number
  unchanged: number
  entries: number
  requests: number
}
interface BulkAnswer {
  added: number
  changed: number
  unchanged: number
}
interface BulkError {
  error: { code: string; message: string; entries?: { index: number; phone: string | null; message: string }[] }
}

interface Row {
  line: number
  text: string
}

interface CsvFile {
  header: string
  rows: Row[]
}

/**
 * The header and the data rows with their line numbers, read by the worker's own RFC 4180 parser; problems the worker
 * would refuse anyway are found before anything is sent. Each row is re-written as one CSV record, so a chunk is valid CSV.
 */
export function readCsv(text: string): CsvFile {
  let records
  try {
    records = parseCsv(text)
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`nothing was imported; the file is not valid CSV: ${err.message}`)
    throw err
  }
  const [head, ...data] = records
  const columns = (head?.fields ?? []).map((name) => name.trim().toLowerCase())
  const phoneAt = columns.indexOf('phone')
  if (!head || phoneAt < 0) {
    const found = (head?.fields ?? []).join(',').slice(0, 80)
    throw new CliError(`the first line must be a header naming the columns, with "phone" among them, e.g. "${CSV_HEADER}"; found "${found}"`)
  }
  const rows: Row[] = []
  const bad: string[] = []
  for (const { line, fields } of data) {
    const phone = (fields[phoneAt] ?? '').trim()
    if (fields.length > columns.length) bad.push(`line ${line}: more than ${columns.length} fields (${columns.join(',')})`)
    else if (!PHONE_PATTERN.test(phone)) bad.push(`line ${line}: "${phone.slice(0, 30)}" is not a phone number: ${PHONE_RULE}`)
    rows.push({ line, text: fields.map(formatCsvField).join(',') })
  }
  if (bad.length > 0)
    throw new CliError(
      `nothing was imported; fix these lines first:\n${bad
        .slice(0, 50)
        .map((b) => `  ${b}`)
        .join('\n')}${bad.length > 50 ? `\n  … and ${bad.length - 50} more` : ''}`,
    )
  if (rows.length === 0) throw new CliError('the file holds no numbers, only the header')
  return { header: head.fields.map(formatCsvField).join(','), rows }
}

export async function importNumbers(api: ApiOptions, file: string, progress: (line: string) => void, chunkSize = MAX_IMPORT_ENTRIES): Promise<ImportResult> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const { header, rows } = readCsv(text)
  const total = { added: 0, changed: 0, unchanged: 0, entries: rows.length, requests: 0 }
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize)
    const body = `${header}\n${chunk.map((r) => r.text).join('\n')}\n`
    const answer = await callApi<BulkAnswer | BulkError>(api, 'POST', '/v1/numbers', { body, contentType: 'text/csv', accept: [400] })
    total.requests += 1
    if (answer.status === 400) {
      const { error } = answer.body as BulkError
      const done =
        start === 0 ? 'nothing was imported' : `lines 2 to ${rows[start - 1]?.line ?? 1} were imported before; from line ${chunk[0]?.line ?? 0} on nothing was`
      const entries = (error.entries ?? []).slice(0, 50).map((e) => `  line ${chunk[e.index]?.line ?? '?'}: ${e.message}`)
      throw new CliError(`${error.message} (${done}):\n${entries.join('\n')}`)
    }
    const counts = answer.body as BulkAnswer
    total.added += counts.added
    total.changed += counts.changed
    total.unchanged += counts.unchanged
    if (rows.length > chunkSize) {
      progress(
        `imported ${fmt(Math.min(start + chunkSize, rows.length))} of ${fmt(rows.length)} numbers (${fmt(total.added)} added, ${fmt(total.changed)} changed, ${fmt(total.unchanged)} unchanged)`,
      )
    }
  }
  return total
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
