/** @module The watch list in the ledger: WATCH_NUMBERS merged with the numbers operators added, changed or hid. */
import type { Config } from '../config'
import { isPod, type PodSetting } from '../sources/kaleyra/pods'
import type { SourceFields } from '../sources/source'
import { KALEYRA_FIELDS, SOURCE_SELECT, sameSource, sourceFieldsOf, type SourceRow } from './source-columns'
import { readAllLabels, writeLabels } from './label-table'

/** `sid` is '' and `pod` 'auto' for a number of another source (the views show null): the columns are Kaleyra's. */
export interface WatchedNumber extends SourceFields {
  phone: string
  sid: string
  pod: PodSetting
  endpoint_url: string | null
  /** Where the number came from: WATCH_NUMBERS or the operator routes. */
  origin: 'config' | 'operator'
  /** The customer labels the number carries; [] when none. */
  labels: string[]
}

/** What an operator writes for one number (PUT /v1/numbers/{phone} and the bulk import). */
export interface WatchEntry extends SourceFields {
  phone: string
  sid: string
  pod: PodSetting
  /** Absent: leave as it is; null: remove. */
  endpoint_url?: string | null
  /** Absent: keep the number's labels; []: remove them. */
  labels?: string[]
}

type WatchRow = SourceRow & {
  phone: string
  sid: string
  pod: string
  endpoint_url: string | null
  hidden: number
}

/** Operator rows override WATCH_NUMBERS; a hidden row hides a WATCH_NUMBERS number. Sorted by phone for stable paging. */
export function readWatchList(sql: SqlStorage, config: Config): WatchedNumber[] {
  const merged = new Map<string, WatchedNumber>()
  if (config.sid) {
    for (const phone of config.watchNumbers) {
      merged.set(phone, {
        phone,
        sid: config.sid,
        pod: config.pod,
        endpoint_url: config.flowEndpoints.get(phone) ?? null,
        origin: 'config',
        labels: [],
        ...KALEYRA_FIELDS,
      })
    }
  }
  for (const row of sql.exec<WatchRow>(`SELECT phone, sid, pod, endpoint_url, hidden, ${SOURCE_SELECT} FROM watch`).toArray()) {
    if (row.hidden) merged.delete(row.phone)
    else
      merged.set(row.phone, {
        phone: row.phone,
        sid: row.sid,
        pod: isPod(row.pod) ? row.pod : 'auto',
        endpoint_url: row.endpoint_url,
        origin: 'operator',
        labels: [],
        ...sourceFieldsOf(row),
      })
  }
  const labels = readAllLabels(sql)
  for (const n of merged.values()) n.labels = labels.get(n.phone) ?? []
  return [...merged.values()].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0))
}

export type WriteOutcome = 'added' | 'changed' | 'unchanged'

/**
 * The merged watch list in the ledger's memory, kept in step with each write rather than
 * read again: at 10,000 numbers a fresh read per write made 200 concurrent PUTs take seconds.
 */
export class WatchIndex {
  readonly byPhone: Map<string, WatchedNumber>
  #sorted: WatchedNumber[] | null
  constructor(list: WatchedNumber[]) {
    this.byPhone = new Map(list.map((n) => [n.phone, n]))
    this.#sorted = list
  }
  /** Sorted by phone, for stable paging. */
  get list(): WatchedNumber[] {
    this.#sorted ??= [...this.byPhone.values()].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0))
    return this.#sorted
  }
  set(number: WatchedNumber): void {
    this.byPhone.set(number.phone, number)
    this.#sorted = null
  }
  delete(phone: string): void {
    this.byPhone.delete(phone)
    this.#sorted = null
  }
}

/** Adds or changes one operator entry; the caller runs it inside the transaction of the whole request. */
export function writeWatchEntry(
  sql: SqlStorage,
  entry: WatchEntry,
  current: WatchedNumber | undefined,
  at: string,
): { outcome: WriteOutcome; number: WatchedNumber } {
  const endpoint = entry.endpoint_url === undefined ? (current?.endpoint_url ?? null) : entry.endpoint_url
  const fields: SourceFields = { source: entry.source, account: entry.account, phone_number_id: entry.phone_number_id, region: entry.region }
  const labels = entry.labels ?? current?.labels ?? []
  const number: WatchedNumber = { phone: entry.phone, sid: entry.sid, pod: entry.pod, endpoint_url: endpoint, origin: 'operator', labels, ...fields }
  const sameLabels = (current?.labels ?? []).join('|') === labels.join('|')
  if (
    current &&
    current.origin === 'operator' &&
    current.sid === entry.sid &&
    current.pod === entry.pod &&
    current.endpoint_url === endpoint &&
    sameLabels &&
    sameSource(current, fields)
  )
    return { outcome: 'unchanged', number }
  if (!sameLabels) writeLabels(sql, entry.phone, labels)
  sql.exec(
    `INSERT INTO watch (phone, sid, pod, endpoint_url, added_at, hidden, ${SOURCE_SELECT}) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
     ON CONFLICT (phone) DO UPDATE SET sid = excluded.sid, pod = excluded.pod, endpoint_url = excluded.endpoint_url, hidden = 0,
       source = excluded.source, account = excluded.account, phone_number_id = excluded.phone_number_id, region = excluded.region`,
    entry.phone,
    entry.sid,
    entry.pod,
    endpoint,
    at,
    fields.source,
    fields.account,
    fields.phone_number_id,
    fields.region,
  )
  return { outcome: current ? 'changed' : 'added', number }
}

/** A WATCH_NUMBERS number cannot be edited from the API: a hidden row stands for its removal. */
export function removeWatchEntry(sql: SqlStorage, phone: string, fromConfig: boolean, at: string): void {
  if (fromConfig) {
    sql.exec(
      `INSERT INTO watch (phone, sid, pod, endpoint_url, added_at, hidden) VALUES (?, '', 'auto', NULL, ?, 1)
       ON CONFLICT (phone) DO UPDATE SET hidden = 1`,
      phone,
      at,
    )
  } else {
    sql.exec('DELETE FROM watch WHERE phone = ?', phone)
  }
  // A number watched again starts without the labels it had.
  writeLabels(sql, phone, [])
}
