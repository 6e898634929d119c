/** @module A page cursor from a query string: one the ledger gave out, or a 400 before the ledger is asked. */
import { FlowkeyError } from '../errors'
import { isValidCursor } from '../ledger/fleet-query'

/** Undefined for the first page; `invalid_request` for anything the ledger did not give out. */
export function checkedCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined
  if (!isValidCursor(cursor)) {
    throw new FlowkeyError('invalid_request', 'cursor is not one this server gave out: pass next_cursor of the page before, or leave it out for the first page')
  }
  return cursor
}
