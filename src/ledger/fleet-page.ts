/**
 * @module One page of the fleet in attention order (problems first, then by phone), read through the rank index
 * with a cursor: the cost is the page, not the fleet. Filters are SQL conditions on `f` (fleet_index), so a view
 * narrowed another way (a label) adds one condition.
 */
import { HEALTHY_RANK } from './fleet-index'

/** Where the previous page ended. */
export interface PageCursor {
  rank: number
  phone: string
}

/** A condition on `f`, the fleet_index row, with its bound values. */
export interface PageFilter {
  where: string
  binds: SqlStorageValue[]
}

export interface PageRequest {
  after: PageCursor | null
  limit: number
  filters?: readonly PageFilter[]
}

/** Digits anywhere in the number: trigrams from three digits on; shorter ones match so many numbers that the ranked walk finds a page at once. */
export function digitsFilter(digits: string): PageFilter {
  if (!/^\d+$/.test(digits)) throw new TypeError('digitsFilter takes digits only')
  if (digits.length >= 3) return { where: 'f.rowid IN (SELECT rowid FROM fleet_search WHERE fleet_search MATCH ?)', binds: [`"${digits}"`] }
  return { where: 'instr(f.phone, ?) > 0', binds: [digits] }
}

/** The numbers carrying a label (number_labels, indexed by label). */
export function labelFilter(label: string): PageFilter {
  return { where: 'f.phone IN (SELECT phone FROM number_labels WHERE label = ?)', binds: [label] }
}

export function readPage(sql: SqlStorage, request: PageRequest): { phones: string[]; next: PageCursor | null } {
  const where: string[] = []
  const binds: SqlStorageValue[] = []
  if (request.after) {
    where.push('(f.rank, f.phone) > (?, ?)')
    binds.push(request.after.rank, request.after.phone)
  }
  for (const filter of request.filters ?? []) {
    where.push(filter.where)
    binds.push(...filter.binds)
  }
  const rows = sql
    .exec<{ phone: string; rank: number }>(
      `SELECT f.phone, f.rank FROM fleet_index f ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.rank, f.phone LIMIT ?`,
      ...binds,
      request.limit + 1,
    )
    .toArray()
  const page = rows.slice(0, request.limit)
  const last = page[page.length - 1]
  return { phones: page.map((r) => r.phone), next: rows.length > request.limit && last ? { rank: last.rank, phone: last.phone } : null }
}

/** `<rank>-<digits>`: no `+`, so a cursor pasted into a URL stays what it was. */
export function formatCursor(cursor: PageCursor): string {
  return `${cursor.rank}-${cursor.phone.replace(/^\+/, '')}`
}

/** What a cursor looks like (empty: the first page): the HTTP schemas refuse anything else before the ledger is asked. */
export const CURSOR_PATTERN = /^(?:(\d{1,2})-([1-9]\d{7,14}))?$/

/** Null for anything this ledger did not give out. */
export function parseCursor(text: string): PageCursor | null {
  const match = CURSOR_PATTERN.exec(text)
  if (!match?.[1] || !match[2]) return null
  const rank = Number(match[1])
  return rank <= HEALTHY_RANK ? { rank, phone: `+${match[2]}` } : null
}
