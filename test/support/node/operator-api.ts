/** @module A small real HTTP server with the operator routes the CLI uses, built to INTERFACE.md: POST /v1/numbers, GET /v1/status (paged), GET /v1/numbers/{phone}/key. */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readCsvTable } from '../../../src/http/csv.js'

export interface SeenRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
}
export interface WatchEntry {
  phone: string
  sid: string
  pod: string
  endpoint_url: string | null
}
export interface ServedKey {
  kid: string
  spki_sha256: string
  signature_status: string
}
export interface OperatorApi {
  url: string
  token: string
  requests: SeenRequest[]
  numbers: Map<string, WatchEntry>
  keys: Map<string, ServedKey>
  /** GET /v1/status's document without `numbers` and paging, which the server adds. */
  status: { last_run: unknown; notifications: unknown; problems: unknown[]; numberStatus: Map<string, Record<string, unknown>> }
  close(): Promise<void>
}

const MAX_ENTRIES = 10_000
const PODS = new Set(['in', 'sg', 'eu', 'na', 'auto'])
const PHONE = /^\+?(\d{8,15})$/
const SID = /^[A-Za-z0-9_-]{1,64}$/

export async function startOperatorApi(token: string, defaultSid = 'HXDEFAULT0000001'): Promise<OperatorApi> {
  const requests: SeenRequest[] = []
  const numbers = new Map<string, WatchEntry>()
  const keys = new Map<string, ServedKey>()
  const status = {
    last_run: null as unknown,
    notifications: { channels: {} } as unknown,
    problems: [] as unknown[],
    numberStatus: new Map<string, Record<string, unknown>>(),
  }
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://api')
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body })
      const send = (code: number, value: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      const fail = (code: number, errorCode: string, message: string, extra: object = {}): void => send(code, { error: { code: errorCode, message, ...extra } })
      const operator = req.headers['authorization'] === `Bearer ${token}`
      const keyRoute = /^\/v1\/numbers\/([^/]+)\/key$/.exec(url.pathname)
      if (req.method === 'GET' && keyRoute) {
        const phone = toPhone(decodeURIComponent(keyRoute[1] ?? ''))
        if (phone === null) return fail(400, 'invalid_phone', 'not a phone number')
        if (!numbers.has(phone)) return fail(404, 'unknown_number', `${phone} is not a watched number`)
        const key = keys.get(phone)
        if (!key) return fail(404, 'no_key', `${phone} is watched but has no good key yet`)
        return send(200, { phone, ...key, jwk: {}, pem: '', pod: 'in', first_seen_at: '', fetched_at: '', checked_at: '' })
      }
      if (!operator && url.pathname.startsWith('/v1/')) return fail(401, 'unauthorized', 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required')
      if (req.method === 'POST' && url.pathname === '/v1/numbers') {
        const parsed = parseBulk(req.headers['content-type'] ?? '', body)
        if ('message' in parsed) return fail(400, 'invalid_request', parsed.message)
        if (parsed.entries.length > MAX_ENTRIES) return fail(400, 'invalid_request', `at most ${MAX_ENTRIES} entries per request, got ${parsed.entries.length}`)
        const bad: { index: number; phone: string | null; message: string }[] = []
        const clean: WatchEntry[] = []
        parsed.entries.forEach((e, index) => {
          const phone = toPhone(e.phone ?? '')
          const sid = e.sid || defaultSid
          const pod = e.pod || 'auto'
          const endpoint = e.endpoint_url || null
          if (phone === null) bad.push({ index, phone: e.phone ?? null, message: `"${e.phone ?? ''}" is not a phone number` })
          else if (!SID.test(sid)) bad.push({ index, phone, message: `"${sid}" is not a SID` })
          else if (!PODS.has(pod)) bad.push({ index, phone, message: `pod "${pod}" is not one of in, sg, eu, na, auto` })
          else if (endpoint !== null && !/^https?:\/\//.test(endpoint)) bad.push({ index, phone, message: 'endpoint_url must be an http(s) URL' })
          else clean.push({ phone, sid, pod, endpoint_url: endpoint })
        })
        if (bad.length > 0)
          return fail(400, 'invalid_request', `${bad.length} of ${parsed.entries.length} entries are invalid; nothing was changed`, { entries: bad })
        const counts = { added: 0, changed: 0, unchanged: 0 }
        for (const entry of clean) {
          const before = numbers.get(entry.phone)
          if (!before) counts.added += 1
          else if (JSON.stringify(before) === JSON.stringify(entry)) counts.unchanged += 1
          else counts.changed += 1
          numbers.set(entry.phone, entry)
        }
        return send(200, counts)
      }
      if (req.method === 'GET' && url.pathname === '/v1/status') {
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), 1000)
        const all = [...numbers.keys()].sort()
        const from = Number(url.searchParams.get('cursor') ?? 0)
        const page = all.slice(from, from + limit).map((phone) => ({
          phone,
          sid: numbers.get(phone)?.sid,
          outcome: 'key',
          error: null,
          consecutive_failures: 0,
          kid: keys.get(phone)?.kid ?? null,
          signature_status: 'VALID',
          checked_at: null,
          attention: [],
          endpoint: null,
          ...status.numberStatus.get(phone),
        }))
        const next = from + limit < all.length ? String(from + limit) : null
        return send(200, { last_run: status.last_run, numbers: page, next_cursor: next, notifications: status.notifications, problems: status.problems })
      }
      return fail(404, 'not_found', `no route ${req.method ?? ''} ${url.pathname}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    numbers,
    keys,
    status,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function toPhone(raw: string): string | null {
  const match = PHONE.exec(raw.trim())
  return match ? `+${match[1] ?? ''}` : null
}

type RawEntry = Partial<Record<'phone' | 'sid' | 'pod' | 'endpoint_url', string>>

function parseBulk(contentType: string, body: string): { entries: RawEntry[] } | { message: string } {
  if (contentType.startsWith('text/csv')) {
    // The worker's own parser and header rule: this fake differs from it only in what it stores.
    try {
      const table = readCsvTable(body, { known: ['phone', 'sid', 'pod', 'endpoint_url'], required: ['phone'] })
      return { entries: table.rows.map((row) => row.cells) }
    } catch (err) {
      return { message: err instanceof Error ? err.message : String(err) }
    }
  }
  try {
    const json = JSON.parse(body) as { numbers?: RawEntry[] }
    if (!Array.isArray(json.numbers)) return { message: 'body must be {"numbers":[...]}' }
    return { entries: json.numbers }
  } catch {
    return { message: 'body is not JSON' }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
