/** @module Reads the ledger's own tables inside the Durable Object, for tests that check what was recorded. */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { Ledger } from '../../src/ledger/ledger-object'
import { readHistory, readNumber } from '../../src/ledger/number-records'
import { lastCompleteRun, recentRuns, type RunSummary } from '../../src/ledger/run-table'
import { ledgerOf } from '../../src/ledger/stub'
import type { NumberRecord, NumberStatus } from '../../src/store/records'

function inLedger<R>(work: (sql: SqlStorage) => R): Promise<R> {
  return runInDurableObject<Ledger, R>(ledgerOf(env), (_instance, state) => work(state.storage.sql))
}

/** The number's key records with its history, newest first, as the ledger holds them. */
export function numberRecord(phone: string): Promise<NumberRecord> {
  return inLedger((sql) => {
    const found = readNumber(sql, phone)
    if (!found) throw new Error(`the ledger has no record of ${phone}`)
    return { ...found.record, history: readHistory(sql, phone) }
  })
}

export function numberStatus(phone: string): Promise<NumberStatus> {
  return inLedger((sql) => {
    const found = readNumber(sql, phone)
    if (!found) throw new Error(`the ledger has no status of ${phone}`)
    return found.status
  })
}

export function lastRun(): Promise<RunSummary | null> {
  return inLedger((sql) => lastCompleteRun(sql))
}

export function runs(limit = 10): Promise<RunSummary[]> {
  return inLedger((sql) => recentRuns(sql, limit))
}

/** Rows of any table, for assertions on the ledger's shape. */
export function rows<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: SqlStorageValue[]): Promise<T[]> {
  return inLedger((sql) => sql.exec<T>(query, ...bindings).toArray())
}
