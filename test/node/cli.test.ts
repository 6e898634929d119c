/**
 * @module `npx flowkey` against the real Worker (the deploy bundle in workerd, with the Kaleyra pod emulator): import with labels,
 * mute and unmute, status and `--label`, and the offline endpoint key check. A pass-through proxy records what the CLI sent;
 * every outcome is read back from the worker itself.
 */
import { execFile } from 'node:child_process'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { LIVE_ADMIN_TOKEN, LIVE_SID, ROOT, startLiveFlowkey, type LiveFlowkey } from '../support/node/live-worker.js'
import { startRecordingProxy, type RecordingProxy } from '../support/node/recording-proxy.js'

/** Watched from the start (WATCH_NUMBERS), no labels. */
const A = '+919840100001'
const B = '+919840100002'
/** Imported by the first case: C labelled acme and globex, D globex. */
const C = '+919840100003'
const D = '+919840100004'
const UNKNOWN = '+14155550199'
const HOUR_MS = 3_600_000

let live: LiveFlowkey
let proxy: RecordingProxy
let dir: string

interface Run {
  code: number
  stdout: string
  stderr: string
}
function flowkey(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'flowkey.js'), ...args],
      {
        cwd: dir,
        timeout: 60_000,
        env: { ...process.env, FLOWKEY_URL: proxy.url, ADMIN_TOKEN: LIVE_ADMIN_TOKEN, FLOWKEY_KEY_PASSPHRASE: '', ...env },
        maxBuffer: 8 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    )
  })
}
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** Straight to the worker, not through the proxy: the state the CLI left behind. */
async function operator<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${live.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${LIVE_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T }
}
interface Watched {
  phone: string
  sid: string | null
  pod: string | null
  labels: string[]
}
async function watched(label?: string): Promise<Watched[]> {
  const { body } = await operator<{ numbers: Watched[] }>('GET', `/v1/numbers?limit=1000${label ? `&label=${label}` : ''}`)
  return body.numbers
}
interface NumberState {
  phone: string
  labels: string[]
  muted: { until: string; reason: string; muted_at: string } | null
  attention: string[]
  endpoint: { url: string } | null
}
async function stateOf(phone: string): Promise<NumberState | undefined> {
  const { body } = await operator<{ numbers: NumberState[] }>('GET', '/v1/status?limit=1000')
  return body.numbers.find((n) => n.phone === phone)
}
async function checkOne(phone: string): Promise<void> {
  const { status } = await operator('POST', `/v1/check?phone=${encodeURIComponent(phone)}`)
  expect(status).toBe(200)
}
/** `phone`'s checks fail (Kaleyra answers 401) from now until `healAll`; FAILING_AFTER (2) checks make it `check_failing`. */
async function breakNumber(phone: string): Promise<void> {
  await live.control('POST', '/faults', { sid: LIVE_SID, phone, kind: '401', count: 1000 })
  await checkOne(phone)
  await checkOne(phone)
  expect((await stateOf(phone))?.attention).toEqual(['check_failing'])
}
async function healAll(...phones: string[]): Promise<void> {
  await live.control('DELETE', '/faults')
  for (const phone of phones) await checkOne(phone)
}

beforeAll(async () => {
  live = await startLiveFlowkey('cli', [A, B])
  proxy = await startRecordingProxy(live.base)
  dir = mkdtempSync(join(tmpdir(), 'flowkey-cli-'))
}, 180_000)
afterAll(async () => {
  await proxy?.close()
  await live?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  proxy.requests.length = 0
})

describe('flowkey numbers import', () => {
  it('passes the labels column (a|b) through; GET /v1/numbers and ?label= show them', async () => {
    await live.pod.state.putNumber({ sid: LIVE_SID, phone: C })
    await live.pod.state.putNumber({ sid: LIVE_SID, phone: D })
    const csv = file('labelled.csv', `phone,sid,pod,labels\n${C},${LIVE_SID},in,acme|globex\n${D.slice(1)},${LIVE_SID},in,globex\n`)
    const run = await flowkey(['numbers', 'import', csv])
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe('2 numbers imported in 1 request(s): 2 added, 0 changed, 0 unchanged.\n')
    expect(run.code).toBe(0)
    expect(proxy.requests).toHaveLength(1)
    expect(proxy.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/numbers',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${LIVE_ADMIN_TOKEN}` },
    })

    const all = await watched()
    expect(all.map((n) => [n.phone, n.labels])).toEqual([
      [A, []],
      [B, []],
      [C, ['acme', 'globex']],
      [D, ['globex']],
    ])
    expect(all.find((n) => n.phone === D)).toMatchObject({ sid: LIVE_SID, pod: 'in' })
    expect((await watched('acme')).map((n) => n.phone)).toEqual([C])
    expect((await watched('globex')).map((n) => n.phone)).toEqual([C, D])

    const again = await flowkey(['numbers', 'import', csv])
    expect(again.stdout).toContain('0 added, 0 changed, 2 unchanged')
    // The new numbers get their first check, as the cron would give them.
    await live.check()
    expect((await stateOf(C))?.attention).toEqual([])
  })

  it("maps the worker's refused entries (a bad label, an unknown pod) back to line numbers, and imports nothing", async () => {
    const run = await flowkey([
      'numbers',
      'import',
      file('refused.csv', `phone,sid,pod,labels\n+919840100005,,in,acme\n+919840100006,,mars,\n${C},,in,Acme!\n`),
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('nothing was imported')
    expect(run.stderr).toContain('line 3: "pod" must be one of auto, in, sg, eu, na')
    expect(run.stderr).toMatch(/line 4: .*"Acme!" is not a label/)
    expect(proxy.requests).toHaveLength(1)
    expect((await watched()).map((n) => n.phone)).toEqual([A, B, C, D])
    expect((await watched('acme')).map((n) => [n.phone, n.labels])).toEqual([[C, ['acme', 'globex']]])
  })

  it('sends nothing when lines are malformed, and names them by line number', async () => {
    const run = await flowkey(['numbers', 'import', file('bad.csv', 'phone,sid,pod,endpoint_url\n+919840100007,,,\n+91 98765,,,\n+919840100008,,,,extra\n')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('nothing was imported')
    expect(run.stderr).toContain('line 3: "+91 98765" is not a phone number')
    expect(run.stderr).toContain('line 4: more than 4 fields')
    expect(proxy.requests).toHaveLength(0)
    expect(await watched()).toHaveLength(4)
  })

  it('refuses a file without the header', async () => {
    const run = await flowkey(['numbers', 'import', file('nohead.csv', '+919840100007,,,\n')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('the first line must be a header naming the columns, with "phone" among them, e.g. "phone,sid,pod,endpoint_url"')
    expect(proxy.requests).toHaveLength(0)
  })

  it('reads the file as RFC 4180: BOM, CRLF, quoted fields, columns in any order, lines counted in the file', async () => {
    const E = '+919840100009'
    const endpoint = `${live.flow.url}/flow/e?a=1,2`
    const bad = await flowkey(['numbers', 'import', file('excel.csv', `\uFEFFsid,phone,endpoint_url\r\n,${E},"${endpoint}"\r\n"HX\r\n1",+91 98765,\r\n`)])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('line 3: "+91 98765" is not a phone number')
    expect(proxy.requests).toHaveLength(0)
    const good = await flowkey(['numbers', 'import', file('excel-ok.csv', `\uFEFFsid,phone,endpoint_url\r\n,${E},"${endpoint}"\r\n`)])
    expect(good.stderr).toBe('')
    expect(good.stdout).toContain('1 added')
    expect(proxy.requests[0]?.body).toBe(`sid,phone,endpoint_url\n,${E},"${endpoint}"\n`)
    expect((await stateOf(E))?.endpoint?.url).toBe(`${live.flow.url}/flow/e`)
    // Gone again: the cases below count four numbers.
    expect((await operator('DELETE', `/v1/numbers/${encodeURIComponent(E)}`)).status).toBe(200)
  })

  it('chunks a large file, with a progress line per request', async () => {
    const { importNumbers } = await import('../../scripts/cli/import-numbers.js')
    const rows = [C, D].map((phone) => `${phone},${LIVE_SID},in`)
    const progress: string[] = []
    const result = await importNumbers(
      { url: proxy.url, token: LIVE_ADMIN_TOKEN },
      file('chunks.csv', `phone,sid,pod\n${rows.join('\n')}\n`),
      (line) => progress.push(line),
      1,
    )
    expect(result).toEqual({ added: 0, changed: 0, unchanged: 2, entries: 2, requests: 2 })
    expect(progress).toEqual(['imported 1 of 2 numbers (0 added, 0 changed, 1 unchanged)', 'imported 2 of 2 numbers (0 added, 0 changed, 2 unchanged)'])
    expect(proxy.requests.map((r) => r.body.trim().split('\n').length - 1)).toEqual([1, 1])
    // Labels a file does not name are kept.
    expect((await watched('globex')).map((n) => n.phone)).toEqual([C, D])
  })

  it('without ADMIN_TOKEN says how to get one, and with a wrong one says so', async () => {
    const csv = file('one.csv', 'phone,sid,pod,endpoint_url\n+919840100007,,,\n')
    const without = await flowkey(['numbers', 'import', csv], { ADMIN_TOKEN: '' })
    expect(without.code).toBe(1)
    expect(without.stderr).toContain('401 unauthorized. Set ADMIN_TOKEN (npm start prints `export ADMIN_TOKEN=...`)')
    const wrong = await flowkey(['numbers', 'import', csv], { ADMIN_TOKEN: 'not-the-token' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain("401 unauthorized. ADMIN_TOKEN does not match the worker's")
    expect(await watched()).toHaveLength(4)
  })
})

describe('flowkey mute and unmute', () => {
  it('mutes for a duration: the worker holds it until then, and status shows it muted instead of needing attention', async () => {
    await breakNumber(B)
    const before = await flowkey(['status'])
    expect(before.code).toBe(1)
    expect(before.stdout).toMatch(new RegExp(`1 of 4 numbers need attention:\\n  \\${B} +checks failing`))

    proxy.requests.length = 0
    const started = Date.now()
    const run = await flowkey(['mute', B, '--until', '2h', '--reason', 'customer offboarding'])
    const ended = Date.now()
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const until = /^\+919840100002 muted until (\S+) \(customer offboarding\): still checked and recorded, nothing sent until then\.\n$/.exec(run.stdout)?.[1]
    expect(Date.parse(until ?? '')).toBeGreaterThanOrEqual(started + 2 * HOUR_MS)
    expect(Date.parse(until ?? '')).toBeLessThanOrEqual(ended + 2 * HOUR_MS)
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /v1/numbers/%2B919840100002/mute`])
    expect(JSON.parse(proxy.requests[0]?.body ?? '')).toEqual({ until, reason: 'customer offboarding' })

    const state = await stateOf(B)
    expect(state?.muted).toMatchObject({ until, reason: 'customer offboarding' })
    expect(state?.attention).toEqual([])

    const status = await flowkey(['status'])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('None of the 4 numbers needs attention.')
    expect(status.stdout).toContain(
      `1 muted (checked and recorded, nothing sent):\n  ${B}    muted until ${until} (customer offboarding); kaleyra_auth_failed:`,
    )
    expect(status.stdout).toMatch(/; 2 failed check\(s\) in a row\n/)
  })

  it('unmutes (204 whether muted or not): status shows the problem again', async () => {
    const run = await flowkey(['unmute', B.slice(1)])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`${B} is not muted: its notifications are sent again (a problem it still has is sent once now).\n`)
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v1/numbers/%2B919840100002/mute`])
    expect((await stateOf(B))?.muted).toBeNull()
    const status = await flowkey(['status'])
    expect(status.code).toBe(1)
    expect(status.stdout).toMatch(new RegExp(`1 of 4 numbers need attention:\\n  \\${B} +checks failing`))
    expect(status.stdout).not.toContain('muted')
    const again = await flowkey(['unmute', B])
    expect(again.code).toBe(0)
    await healAll(B)
    expect((await stateOf(B))?.attention).toEqual([])
  })

  it('takes an ISO time with an offset, and sends it as UTC', async () => {
    const local = new Date(Date.now() + 26 * HOUR_MS + 5.5 * HOUR_MS).toISOString().slice(0, 19) + '+05:30'
    const utc = new Date(Date.parse(local)).toISOString()
    const run = await flowkey(['mute', A, '--until', local])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`${A} muted until ${utc}: still checked and recorded, nothing sent until then.\n`)
    expect((await stateOf(A))?.muted).toMatchObject({ until: utc, reason: '' })
    expect((await flowkey(['unmute', A])).code).toBe(0)
    expect((await stateOf(A))?.muted).toBeNull()
  })

  it('refuses a bad --until before sending anything', async () => {
    for (const [until, says] of [
      ['soon', '--until "soon" is neither a duration nor an ISO time: give a duration from now (30m, 2h, 7d, 1d12h)'],
      ['0m', '--until "0m" is no time at all'],
      ['-2h', '--until "-2h" is neither a duration nor an ISO time'],
      ['2026-12-24T18:00', '--until "2026-12-24T18:00" has no zone: add Z for UTC or an offset such as +05:30'],
    ] as const) {
      const run = await flowkey(['mute', B, `--until=${until}`])
      expect(run.code, until).toBe(2)
      expect(run.stderr, until).toContain(says)
    }
    const missing = await flowkey(['mute', B, '--reason', 'no until'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--until is required')
    const badPhone = await flowkey(['mute', '+91 98', '--until', '1h'])
    expect(badPhone.code).toBe(2)
    expect(badPhone.stderr).toContain('"+91 98" is not a phone number')
    expect(proxy.requests).toHaveLength(0)
    expect((await stateOf(B))?.muted).toBeNull()
  })

  it("shows the worker's 400 for a time past its limit or in the past, and mutes nothing", async () => {
    const far = await flowkey(['mute', B, '--until', '31d'])
    expect(far.code).toBe(1)
    expect(far.stderr).toMatch(/^flowkey: PUT \/v1\/numbers\/%2B919840100002\/mute: 400 invalid_request: "until" may be at most 30 days ahead \(/)
    const past = await flowkey(['mute', B, '--until', '2020-01-01T00:00:00Z'])
    expect(past.code).toBe(1)
    expect(past.stderr).toContain('400 invalid_request: "until" 2020-01-01T00:00:00.000Z is not in the future')
    expect(proxy.requests).toHaveLength(2)
    expect((await stateOf(B))?.muted).toBeNull()
  })

  it('an unknown number is 404 unknown_number, for mute and unmute', async () => {
    const mute = await flowkey(['mute', UNKNOWN, '--until', '1h'])
    expect(mute.code).toBe(1)
    expect(mute.stderr).toContain(`404 unknown_number: ${UNKNOWN} is not a watched number`)
    const unmute = await flowkey(['unmute', UNKNOWN])
    expect(unmute.code).toBe(1)
    expect(unmute.stderr).toContain(`404 unknown_number: ${UNKNOWN} is not a watched number`)
    expect((await watched()).map((n) => n.phone)).not.toContain(UNKNOWN)
  })

  it('without the token nothing is muted or unmuted', async () => {
    const mute = await flowkey(['mute', B, '--until', '1h'], { ADMIN_TOKEN: '' })
    expect(mute.code).toBe(1)
    expect(mute.stderr).toContain('PUT /v1/numbers/%2B919840100002/mute: 401 unauthorized. Set ADMIN_TOKEN')
    expect((await stateOf(B))?.muted).toBeNull()
    expect((await flowkey(['mute', B, '--until', '1h', '--reason', 'planned'])).code).toBe(0)
    const unmute = await flowkey(['unmute', B], { ADMIN_TOKEN: 'not-the-token' })
    expect(unmute.code).toBe(1)
    expect(unmute.stderr).toContain("401 unauthorized. ADMIN_TOKEN does not match the worker's")
    expect((await stateOf(B))?.muted).toMatchObject({ reason: 'planned' })
    expect((await flowkey(['unmute', B])).code).toBe(0)
  })
})

describe('flowkey status --label', () => {
  it("shows only that label's numbers, says which label, and exits by them alone", async () => {
    await breakNumber(D)
    const acme = await flowkey(['status', '--label', 'acme'])
    expect(acme.stderr).toBe('')
    expect(acme.code).toBe(0)
    expect(acme.stdout).toContain('Label acme: 1 number, and the channels they notify.')
    expect(acme.stdout).toContain('None of the 1 numbers needs attention.')
    expect(acme.stdout).not.toContain(D)
    expect(proxy.requests.map((r) => r.path)).toEqual(['/v1/status?limit=1000&label=acme'])

    const globex = await flowkey(['status', '--label', 'globex'])
    expect(globex.code).toBe(1)
    expect(globex.stdout).toContain('Label globex: 2 numbers, and the channels they notify.')
    expect(globex.stdout).toMatch(new RegExp(`1 of 2 numbers need attention:\\n  \\${D} +checks failing; .*; labels globex\\n`))
    for (const phone of [A, B, C]) expect(globex.stdout).not.toContain(phone)

    expect((await flowkey(['mute', C, '--until', '7d', '--reason', 'acme migrates'])).code).toBe(0)
    const muted = await flowkey(['status', '--label', 'acme'])
    expect(muted.code).toBe(0)
    expect(muted.stdout).toMatch(
      new RegExp(`1 muted \\(checked and recorded, nothing sent\\):\\n  \\${C} +muted until \\S+ \\(acme migrates\\); labels acme, globex\\n`),
    )

    const nobody = await flowkey(['status', '--label', 'nobody'])
    expect(nobody.code).toBe(0)
    expect(nobody.stdout).toContain('Label nobody: no number carries it')

    const whole = await flowkey(['status'])
    expect(whole.code).toBe(1)
    expect(whole.stdout).toContain('1 of 4 numbers need attention:')
    expect((await flowkey(['unmute', C])).code).toBe(0)
    await healAll(D)
  })
})

describe('flowkey verify-endpoint-key', () => {
  const PHONE = '+919840100010'
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const spkiOf = (key: typeof pair.publicKey): string => key.export({ type: 'spki', format: 'pem' }).toString()

  /** Kaleyra holds `publicKey` for PHONE and the worker has checked it; returns what it must serve, computed with jose and node:crypto alone. */
  async function serve(publicKey: typeof pair.publicKey): Promise<{ kid: string; spki_sha256: string }> {
    const pem = spkiOf(publicKey)
    await live.pod.state.putNumber({ sid: LIVE_SID, phone: PHONE, pem })
    expect([200, 201]).toContain((await operator('PUT', `/v1/numbers/${encodeURIComponent(PHONE)}`, { sid: LIVE_SID, pod: 'in' })).status)
    await checkOne(PHONE)
    const expected = {
      kid: await calculateJwkThumbprint(await exportJWK(await importSPKI(pem, 'RSA-OAEP-256', { extractable: true })), 'sha256'),
      spki_sha256: createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('base64'),
    }
    const { body } = await operator<{ kid: string; spki_sha256: string }>('GET', `/v1/numbers/${encodeURIComponent(PHONE)}/key`)
    expect(body).toMatchObject(expected)
    proxy.requests.length = 0
    return expected
  }

  it('says MATCH for the private key of the served key, and sends only the phone', async () => {
    const served = await serve(pair.publicKey)
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    file('private.pem', pem)
    const run = await flowkey(['verify-endpoint-key', 'private.pem', '--phone', PHONE])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`MATCH: private.pem is the private key of the key Kaleyra holds for ${PHONE}`)
    expect(run.stdout).toContain(served.kid)
    expect(run.stdout).toContain(served.spki_sha256)
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/numbers/%2B919840100010/key`])
    expect(JSON.stringify(proxy.requests)).not.toContain(pem.split('\n')[1])
    expect(proxy.requests[0]?.body).toBe('')
    expect(proxy.requests[0]?.headers['authorization']).toBeUndefined()
  })

  it('says MISMATCH (exit 1) for another key, PKCS#1 PEM too', async () => {
    await serve(other.publicKey)
    file('private.pem', pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString())
    const run = await flowkey(['verify-endpoint-key', 'private.pem', '--phone', PHONE])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('MISMATCH: private.pem is not the private key')
  })

  it('opens an encrypted key with FLOWKEY_KEY_PASSPHRASE, and says so when it is missing', async () => {
    await serve(pair.publicKey)
    const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'sesame' }).toString()
    const path = file('encrypted.pem', pem)
    const without = await flowkey(['verify-endpoint-key', path, '--phone', PHONE])
    expect(without.code).toBe(1)
    expect(without.stderr).toContain('the private key is encrypted: put its passphrase in FLOWKEY_KEY_PASSPHRASE')
    const withIt = await flowkey(['verify-endpoint-key', path, '--phone', PHONE], { FLOWKEY_KEY_PASSPHRASE: 'sesame' })
    expect(withIt.stdout).toContain('MATCH')
  })

  it('agrees with the one-line openssl check of docs/connect.md', async () => {
    const served = await serve(pair.publicKey)
    const path = file('private.pem', pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    const line = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `openssl pkey -in ${path} -pubout -outform DER | openssl dgst -sha256 -binary | base64`], (e, out) =>
        e ? reject(e) : resolve(out.trim()),
      ),
    )
    expect(line).toBe(served.spki_sha256)
  })

  it('explains a number flowkey does not watch, and a missing --phone', async () => {
    const path = file('private.pem', pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    const unknown = await flowkey(['verify-endpoint-key', path, '--phone', UNKNOWN])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain(`404 unknown_number: ${UNKNOWN} is not a watched number`)
    const noPhone = await flowkey(['verify-endpoint-key', path])
    expect(noPhone.code).toBe(2)
    expect(noPhone.stderr).toContain('--phone <+91...> is required')
  })
})

describe('flowkey status of a large fleet', () => {
  // What it lists and its exit status, state by state: test/node/attention-views.test.ts.
  it('reads every page and counts every number', async () => {
    const numbers = Array.from({ length: 1_500 }, (_, i) => ({ phone: `+9170${String(i).padStart(8, '0')}`, sid: LIVE_SID, pod: 'in' }))
    expect((await operator('POST', '/v1/numbers', { numbers })).body).toEqual({ added: 1_500, changed: 0, unchanged: 0 })
    const run = await flowkey(['status'])
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('None of the 1505 numbers needs attention.')
    expect(run.code).toBe(0)
    expect(proxy.requests.map((r) => r.path.replace(/cursor=[^&]+/, 'cursor=…'))).toEqual(['/v1/status?limit=1000', '/v1/status?limit=1000&cursor=…'])
  })
})

describe('status summary of the ledger fields', () => {
  it("counts the worker's verdicts (numbers and channels), and shows dead batches without counting them", async () => {
    const { summarizeStatus } = await import('../../scripts/cli/status.js')
    const summary = summarizeStatus(
      {
        last_run: null,
        numbers: [
          {
            phone: '+919876543210',
            outcome: 'key',
            error: null,
            consecutive_failures: 0,
            kid: 'k',
            signature_status: 'VALID',
            checked_at: null,
            attention: [],
            endpoint: null,
          },
          {
            phone: '+14155550100',
            outcome: 'no_key',
            error: null,
            consecutive_failures: 0,
            kid: null,
            signature_status: null,
            checked_at: null,
            attention: ['key_removed'],
            endpoint: null,
          },
        ],
        notifications: {
          channels: { slack: { configured: true, pending: 1, last_error: 'channel_not_found', failed_total: 0, attention: ['delivery_failing'] } },
        },
        dead_batches: [{}],
      },
      Date.now(),
    )
    expect(summary.attention).toBe(2)
    expect(summary.lines.join('\n')).toMatch(/\+14155550100 +key removed\n/)
    expect(summary.lines).toContain('  slack: last delivery failed (0 given up in all; last error channel_not_found)')
    expect(summary.lines.at(-1)).toBe('1 check batch(es) given up after retries: see dead_batches in GET /v1/status.')
  })

  it('turns durations into times from now, and keeps an ISO time as the same instant', async () => {
    const { resolveUntil } = await import('../../scripts/cli/mute.js')
    const now = Date.parse('2026-12-04T19:00:00Z')
    expect(resolveUntil('30m', now)).toBe('2026-12-04T19:30:00.000Z')
    expect(resolveUntil('1d12h', now)).toBe('2026-12-06T07:00:00.000Z')
    expect(resolveUntil('90s', now)).toBe('2026-12-04T19:01:30.000Z')
    expect(resolveUntil('2026-12-24T18:00:00+05:30', now)).toBe('2026-12-24T12:30:00.000Z')
  })
})
