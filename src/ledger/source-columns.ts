/** @module The watch list's key-source columns (schema.ts adds them to an older ledger): read and written beside sid and pod. */
import { DEFAULT_SOURCE, isSourceName, type SourceFields } from '../sources/source'

export const SOURCE_SELECT = 'source, account, phone_number_id, region'

export type SourceRow = { source: string; account: string | null; phone_number_id: string | null; region: string | null }

/** From a row, a watched number or a queue message (where older messages lack the fields: Kaleyra). */
export function sourceFieldsOf(row: Partial<SourceRow>): SourceFields {
  return {
    source: isSourceName(row.source) ? row.source : DEFAULT_SOURCE,
    account: row.account ?? null,
    phone_number_id: row.phone_number_id ?? null,
    region: row.region ?? null,
  }
}

/** WATCH_NUMBERS numbers, and whatever did not say otherwise. */
export const KALEYRA_FIELDS: SourceFields = { source: DEFAULT_SOURCE, account: null, phone_number_id: null, region: null }

export function sameSource(a: SourceFields, b: SourceFields): boolean {
  return a.source === b.source && a.account === b.account && a.phone_number_id === b.phone_number_id && a.region === b.region
}

/** A number's source as routes and views show it: `sid` and `pod` only for Kaleyra numbers, null otherwise. */
export function sourceView(n: SourceFields & { sid: string; pod: string }): SourceFields & { sid: string | null; pod: string | null } {
  const kaleyra = n.source === 'kaleyra'
  return {
    source: n.source,
    sid: kaleyra ? n.sid : null,
    pod: kaleyra ? n.pod : null,
    account: n.account,
    phone_number_id: n.phone_number_id,
    region: n.region,
  }
}
