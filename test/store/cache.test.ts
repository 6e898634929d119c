/** @module The isolate cache in front of real KV: misses share one read, a request in an entry's last second refreshes it ahead, a forgotten key never takes an older read back. */
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { ISOLATE_CACHE_TTL_MS, REFRESH_AHEAD_MS, forgetCached, forgetKey, readCached } from '../../src/store/cache'

const KEY = 'cache-test:doc'

function counting(): { parse: (text: string | null) => string | null; calls: () => number } {
  let calls = 0
  return {
    parse: (text) => {
      calls++
      return text
    },
    calls: () => calls,
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50))

beforeEach(async () => {
  forgetCached(env.KEYS)
  await env.KEYS.put(KEY, 'v1')
})

describe('readCached', () => {
  it('shares one KV read between requests that miss together', async () => {
    const { parse, calls } = counting()
    const t0 = 1_000_000
    expect(await Promise.all([readCached(env.KEYS, KEY, parse, t0), readCached(env.KEYS, KEY, parse, t0), readCached(env.KEYS, KEY, parse, t0)])).toEqual([
      'v1',
      'v1',
      'v1',
    ])
    expect(calls()).toBe(1)
  })

  it('serves from memory within its time, and refreshes ahead in its last second so the next request has the new value', async () => {
    const { parse, calls } = counting()
    const t0 = 2_000_000
    expect(await readCached(env.KEYS, KEY, parse, t0)).toBe('v1')
    await env.KEYS.put(KEY, 'v2')
    expect(await readCached(env.KEYS, KEY, parse, t0 + 1_000)).toBe('v1')
    expect(calls()).toBe(1)
    // In the last second: still the value read, never older than the TTL; the refresh runs behind it.
    const late = t0 + ISOLATE_CACHE_TTL_MS - REFRESH_AHEAD_MS / 2
    expect(await readCached(env.KEYS, KEY, parse, late)).toBe('v1')
    await settle()
    expect(calls()).toBe(2)
    expect(await readCached(env.KEYS, KEY, parse, late + 10)).toBe('v2')
  })

  it('does not take back an older read that was under way when the key was forgotten', async () => {
    const { parse } = counting()
    const t0 = 3_000_000
    const under = readCached(env.KEYS, KEY, parse, t0)
    forgetKey(env.KEYS, KEY)
    await env.KEYS.put(KEY, 'v3')
    expect(await under).toBe('v1')
    expect(await readCached(env.KEYS, KEY, parse, t0 + 1)).toBe('v3')
  })
})
