/** @module `flowkey numbers import file.csv`: checks the file, then sends it through POST /v1/numbers in chunks of at most 10,000 entries. */
import { readFile } from 'node:fs/promises'
import { CliError, callApi, type ApiOptions } from './api.js'

/** POST /v1/numbers takes up to this many entries in one all-or-nothing request. */
export const MAX_ENTRIES_PER_REQUEST = 10_000
export const CSV_HEADER = 'phone,sid,pod,endpoint_url'
const PHONE = /^\+?\d{8,15}$/

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

/** The data rows with their line numbers; problems the worker would refuse anyway are found before anything is sent. */
export function readCsv(text: string): Row[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s+/g, '')
  if (header !== CSV_HEADER) throw new CliError(`the first line must be the header "${CSV_HEADER}", found "${(lines[0] ?? '').slice(0, 80)}"`)
  const rows: Row[] = []
  const bad: string[] = []
  lines.slice(1).forEach((raw, i) => {
    const text = raw.trim()
    if (text === '') return
    const line = i + 2
    const cells = text.split(',')
    if (cells.length > 4) bad.push(`line ${line}: more than 4 fields (${CSV_HEADER})`)
    else if (!PHONE.test((cells[0] ?? '').trim())) bad.push(`line ${line}: "${(cells[0] ?? '').slice(0, 30)}" is not a phone number (E.164, 8 to 15 digits)`)
    rows.push({ line, text })
  })
  if (bad.length > 0)
    throw new CliError(
      `nothing was imported; fix these lines first:\n${bad
        .slice(0, 50)
        .map((b) => `  ${b}`)
        .join('\n')}${bad.length > 50 ? `\n  … and ${bad.length - 50} more` : ''}`,
    )
  if (rows.length === 0) throw new CliError('the file holds no numbers, only the header')
  return rows
}

export async function importNumbers(
  api: ApiOptions,
  file: string,
  progress: (line: string) => void,
  chunkSize = MAX_ENTRIES_PER_REQUEST,
): Promise<ImportResult> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const rows = readCsv(text)
  const total = { added: 0, changed: 0, unchanged: 0, entries: rows.length, requests: 0 }
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize)
    const body = `${CSV_HEADER}\n${chunk.map((r) => r.text).join('\n')}\n`
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
