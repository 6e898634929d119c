/**
 * @module RFC 4180 CSV as spreadsheets write it: records of fields with the file line each starts on, then a header-named table.
 * Pure and import-free, so the CLI reads a file exactly as the worker will.
 */

/** One record; `line` is the file's line (1-based) where it starts: quoted line breaks make records span lines. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/** Bad CSV syntax; the message starts with the file line it names. */
export class CsvError extends Error {
  readonly line: number
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`)
    this.name = 'CsvError'
    this.line = line
  }
}

const TWICE = 'a quote inside a quoted field is written twice: ""'
const COMMA = 44
const LF = 10
const CR = 13
const QUOTE = 34

/**
 * RFC 4180 §2: fields split by commas, records by CRLF (LF and a lone CR too), a field in double quotes may hold
 * commas, line breaks and `""` for a quote. A leading BOM is dropped, a final line break ends the last record, blank
 * lines are skipped. One pass with no backtracking, so no input makes it slow.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  const end = text.length
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  while (i < end) {
    const start = line
    const fields: string[] = []
    let quoted = false
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true
        const opened = line
        let value = ''
        let from = ++i
        for (;;) {
          const q = text.indexOf('"', i)
          if (q < 0) throw new CsvError(opened, `a quoted field starts here and is never closed (${TWICE})`)
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1)
            i = from = q + 2
            continue
          }
          value += text.slice(from, q)
          i = q + 1
          break
        }
        line += countLineBreaks(value)
        const next = text.charCodeAt(i)
        if (i < end && next !== COMMA && next !== LF && next !== CR) {
          throw new CsvError(line, `text follows a closing quote (${TWICE})`)
        }
        fields.push(value)
      } else {
        let j = i
        for (; j < end; j++) {
          const c = text.charCodeAt(j)
          if (c === COMMA || c === LF || c === CR) break
          if (c === QUOTE) throw new CsvError(line, `a quote inside an unquoted field (quote the field; ${TWICE})`)
        }
        fields.push(text.slice(i, j))
        i = j
      }
      if (i >= end) break
      if (text.charCodeAt(i) === COMMA) {
        i++
        continue
      }
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
      line++
      break
    }
    const blank = !quoted && fields.length === 1 && fields[0].trim() === ''
    if (!blank) records.push({ line: start, fields })
  }
  return records
}

function countLineBreaks(value: string): number {
  let count = 0
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k)
    if (c === LF || (c === CR && value.charCodeAt(k + 1) !== LF)) count++
  }
  return count
}

/** A field as RFC 4180 writes it: quoted only when it must be. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export interface CsvTableOptions {
  /** Every column name the header may hold (lower case); any other is refused rather than silently dropped. */
  known: readonly string[]
  /** Columns the header must hold. */
  required: readonly string[]
}

/** A data row: `index` counts data rows from 0, `line` is the file line it starts on. */
export interface CsvRow {
  index: number
  line: number
  /** Trimmed values by column name; an empty cell is a field not given, so it is absent. */
  cells: Record<string, string>
  /** Set when the row cannot be read as the header says (more fields than columns); the caller lists it with the other bad rows. */
  problem: string | null
}

export interface CsvTable {
  columns: string[]
  rows: CsvRow[]
}

/** The first record names the columns (any order, any case); each later record is a row. Header faults are CsvErrors. */
export function readCsvTable(text: string, options: CsvTableOptions): CsvTable {
  const [head, ...data] = parseCsv(text)
  const example = options.known.join(',')
  if (!head) throw new CsvError(1, `the CSV is empty: its first line must be a header naming its columns, e.g. ${example}`)
  const columns = head.fields.map((name) => name.trim().toLowerCase())
  const seen = new Set<string>()
  for (const name of columns) {
    if (!options.known.includes(name)) {
      throw new CsvError(head.line, `the header names an unknown column "${name.slice(0, 40)}"; the columns are ${example}`)
    }
    if (seen.has(name)) throw new CsvError(head.line, `the header names the column "${name}" twice`)
    seen.add(name)
  }
  for (const name of options.required) {
    if (!seen.has(name)) throw new CsvError(head.line, `the header must name the column "${name}" (columns: ${example})`)
  }
  const rows = data.map((record, index): CsvRow => {
    const cells: Record<string, string> = {}
    columns.forEach((name, k) => {
      const value = record.fields[k]?.trim()
      if (value) cells[name] = value
    })
    const problem = record.fields.length > columns.length ? `${record.fields.length} fields, but the header names ${columns.length} columns` : null
    return { index, line: record.line, cells, problem }
  })
  return { columns, rows }
}
