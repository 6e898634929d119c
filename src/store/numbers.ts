/** @module Per-number records (`number:<phone>`): current and previous key, and the bounded history. */
import { readCached, remember } from './cache'
import { numberKey } from './kv-keys'
import type { NumberRecord } from './records'

export function parseNumberRecord(text: string | null): NumberRecord | null {
  if (!text) return null
  try {
    const value = JSON.parse(text) as NumberRecord
    return value?.v === 1 ? value : null
  } catch {
    return null
  }
}

export function readNumber(kv: KVNamespace, phone: string): Promise<NumberRecord | null> {
  return readCached(kv, numberKey(phone), parseNumberRecord)
}

export async function readNumberFresh(kv: KVNamespace, phone: string): Promise<NumberRecord | null> {
  return parseNumberRecord(await kv.get(numberKey(phone), 'text'))
}

export async function writeNumber(kv: KVNamespace, record: NumberRecord): Promise<void> {
  await kv.put(numberKey(record.phone), JSON.stringify(record))
  remember(kv, numberKey(record.phone), record)
}
