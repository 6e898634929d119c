/** @module What a caller may ask of the fleet's views (a page, a search), turned into the ledger's page request; a new way to narrow a view adds a field and a filter here. */
import { digitsFilter, labelFilter, parseCursor, type PageFilter, type PageRequest } from './fleet-page'

export interface StatusQuery {
  /** `next_cursor` of the page before; absent for the first page. */
  cursor?: string
  limit: number
  /** Digits anywhere in the number (`?q=`). */
  digits?: string
  /** Only the numbers carrying this label (`?label=`). */
  label?: string
}

/** Throws a TypeError on a cursor the ledger did not give out: the HTTP layer checks it first (isValidCursor). */
export function pageRequest(query: StatusQuery): PageRequest {
  const after = query.cursor ? parseCursor(query.cursor) : null
  if (query.cursor && !after) throw new TypeError(`not a cursor of this ledger: ${query.cursor.slice(0, 40)}`)
  const filters: PageFilter[] = []
  if (query.digits) filters.push(digitsFilter(query.digits))
  if (query.label) filters.push(labelFilter(query.label))
  return { after, limit: query.limit, filters }
}

export function isValidCursor(cursor: string): boolean {
  return parseCursor(cursor) !== null
}
