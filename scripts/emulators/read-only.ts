/** @module flowkey only reads: what makes a request to a key source's emulator a write, and the record of every such request that the suite's teardown checks. */

/** Fields that carry a key (each source's Set), lowercased: found in the query or anywhere in a body. */
const KEY_FIELDS = ['business_public_key', 'businesspublickey', 'kmskeyarn']
/** Graph's old `method=` parameter turns a read into a write; Meta's `fields=` naming the key fields is a read. */
const WRITE_PARAMS = [...KEY_FIELDS, 'method']
/** Methods that never write: any other is a write unless it is the source's documented read (Kaleyra reads with POST). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Every way a request could set a key: a method that writes, a body (on a GET too), a key field in the query or the body. */
export function writesIn(readMethod: string, method: string, url: URL, body: Buffer): string[] {
  const writes: string[] = []
  if (method !== readMethod && !SAFE_METHODS.has(method)) writes.push(`method ${method}`)
  if (body.length > 0) writes.push(`a body of ${body.length} byte${body.length === 1 ? '' : 's'}`)
  const names = [...url.searchParams.keys()].map((k) => k.toLowerCase())
  const text = body.toString('utf8').toLowerCase()
  for (const field of WRITE_PARAMS) if (names.includes(field) || (KEY_FIELDS.includes(field) && text.includes(field))) writes.push(`the field ${field}`)
  return writes
}

export interface RefusedRequest {
  at: string
  emulator: string
  method: string
  path: string
  bodyBytes: number
  /** What made it a write: a method, a body, a key field. */
  writes: string[]
}

/**
 * One emulator's watch over its own traffic. Every request but the control API's passes
 * through `inspect`; nothing clears what it holds, so a test that clears an emulator's
 * request log cannot hide a write from the teardown.
 */
export class ReadGuard {
  /** Requests inspected, reads and writes. */
  seen = 0
  readonly refused: RefusedRequest[] = []

  constructor(
    readonly emulator: string,
    readonly readMethod: string,
  ) {}

  /** What made this request a write (empty for a read); a write is kept. */
  inspect(method: string, url: URL, body: Buffer, at: Date = new Date()): string[] {
    this.seen += 1
    const writes = writesIn(this.readMethod, method, url, body)
    if (writes.length > 0) {
      this.refused.push({ at: at.toISOString(), emulator: this.emulator, method, path: url.pathname + url.search, bodyBytes: body.length, writes })
    }
    return writes
  }
}

/** Throws, naming the first writes, if any of the guards saw one: the suite fails on a single write anywhere. */
export function assertOnlyReads(guards: readonly ReadGuard[]): void {
  const refused = guards.flatMap((g) => g.refused)
  if (refused.length === 0) return
  const seen = guards.reduce((sum, g) => sum + g.seen, 0)
  const first = refused.slice(0, 3).map((r) => `${r.emulator} ${r.method} ${r.path}: ${r.writes.join(', ')}`)
  throw new Error(`the key source emulators saw ${refused.length} write(s) in ${seen} request(s); flowkey only reads:\n  ${first.join('\n  ')}`)
}
