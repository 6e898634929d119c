/** @module `npx flowkey` against a real HTTP server with the operator routes of INTERFACE.md: import in chunks, status, and an offline endpoint key check. */
import { execFile } from 'node:child_process'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { calculateJwkThumbprint, exportJWK, exportSPKI, importSPKI } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startOperatorApi, type OperatorApi } from '../support/node/operator-api.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TOKEN = 'cli-test-token'
let api: OperatorApi
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
        timeout: 30_000,
        env: { ...process.env, FLOWKEY_URL: api.url, ADMIN_TOKEN: TOKEN, FLOWKEY_KEY_PASSPHRASE: '', ...env },
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
const phoneAt = (i: number): string => `+9170${String(i).padStart(8, '0')}`

beforeAll(async () => {
  api = await startOperatorApi(TOKEN)
  dir = mkdtempSync(join(tmpdir(), 'flowkey-cli-'))
})
afterAll(async () => {
  await api.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  api.requests.length = 0
  api.numbers.clear()
  api.keys.clear()
  api.status.numberStatus.clear()
  api.status.problems = []
  api.status.notifications = { channels: {} }
})

describe('flowkey numbers import', () => {
  it('sends a small file in one text/csv request with the operator token', async () => {
    const csv = file(
      'few.csv',
      'phone,sid,pod,endpoint_url\n+919876543210,HXAP16XXXXXX97IN,in,https://flows.example.com/data\n14155550100,,auto,\r\n+14155550101,,,\n',
    )
    const run = await flowkey(['numbers', 'import', csv])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('3 numbers imported in 1 request(s): 3 added, 0 changed, 0 unchanged.\n')
    expect(api.requests).toHaveLength(1)
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/v1/numbers', headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` } })
    expect(api.numbers.get('+919876543210')).toEqual({
      phone: '+919876543210',
      sid: 'HXAP16XXXXXX97IN',
      pod: 'in',
      endpoint_url: 'https://flows.example.com/data',
    })
    const again = await flowkey(['numbers', 'import', csv])
    expect(again.stdout).toContain('0 added, 0 changed, 3 unchanged')
  })

  it('chunks a file over 10,000 entries and prints a progress line per chunk', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${phoneAt(i)},,auto,`)
    const run = await flowkey(['numbers', 'import', file('many.csv', `phone,sid,pod,endpoint_url\n${rows.join('\n')}\n`)])
    expect(run.code).toBe(0)
    expect(run.stderr.trim().split('\n')).toEqual([
      'imported 10,000 of 25,000 numbers (10,000 added, 0 changed, 0 unchanged)',
      'imported 20,000 of 25,000 numbers (20,000 added, 0 changed, 0 unchanged)',
      'imported 25,000 of 25,000 numbers (25,000 added, 0 changed, 0 unchanged)',
    ])
    expect(run.stdout).toContain('25,000 numbers imported in 3 request(s): 25,000 added')
    expect(api.requests.map((r) => r.body.trim().split('\n').length - 1)).toEqual([10_000, 10_000, 5_000])
    expect(api.numbers.size).toBe(25_000)
  }, 60_000)

  it('sends nothing when lines are malformed, and names them by line number', async () => {
    const run = await flowkey(['numbers', 'import', file('bad.csv', 'phone,sid,pod,endpoint_url\n+919876543210,,,\n+91 98765,,,\n+14155550100,,,,extra\n')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('nothing was imported')
    expect(run.stderr).toContain('line 3: "+91 98765" is not a phone number')
    expect(run.stderr).toContain('line 4: more than 4 fields')
    expect(api.requests).toHaveLength(0)
  })

  it('refuses a file without the header', async () => {
    const run = await flowkey(['numbers', 'import', file('nohead.csv', '+919876543210,,,\n')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('the first line must be a header naming the columns, with "phone" among them, e.g. "phone,sid,pod,endpoint_url"')
    expect(api.requests).toHaveLength(0)
  })

  it('reads the file as RFC 4180: BOM, CRLF, quoted fields, columns in any order, lines counted in the file', async () => {
    const run = await flowkey([
      'numbers',
      'import',
      file('excel.csv', '\uFEFFsid,phone,endpoint_url\r\n,+919876543210,"https://flows.example.com/d?a=1,2"\r\n"HX\r\n1",+91 98765,\r\n'),
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('line 3: "+91 98765" is not a phone number')
    expect(api.requests).toHaveLength(0)
    const good = await flowkey([
      'numbers',
      'import',
      file('excel-ok.csv', '\uFEFFsid,phone,endpoint_url\r\n,+919876543210,"https://flows.example.com/d?a=1,2"\r\n'),
    ])
    expect(good.stderr).toBe('')
    expect(api.requests[0]?.body).toBe('sid,phone,endpoint_url\n,+919876543210,"https://flows.example.com/d?a=1,2"\n')
    expect(api.numbers.get('+919876543210')).toMatchObject({ endpoint_url: 'https://flows.example.com/d?a=1,2' })
  })

  it("maps the worker's refused entries back to line numbers", async () => {
    const run = await flowkey(['numbers', 'import', file('pod.csv', 'phone,sid,pod,endpoint_url\n+919876543210,,in,\n+14155550100,,mars,\n')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('nothing was imported')
    expect(run.stderr).toContain('line 3: pod "mars" is not one of in, sg, eu, na, auto')
    expect(api.numbers.size).toBe(0)
  })

  it('without ADMIN_TOKEN says how to get one', async () => {
    const run = await flowkey(['numbers', 'import', file('one.csv', 'phone,sid,pod,endpoint_url\n+919876543210,,,\n')], { ADMIN_TOKEN: '' })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('401 unauthorized. Set ADMIN_TOKEN (npm start prints `export ADMIN_TOKEN=...`)')
  })
})

describe('flowkey status', () => {
  // What it lists and its exit status, state by state against the real Worker: test/node/attention-views.test.ts.
  it('reads every page of a large fleet and exits 0 when all is well', async () => {
    for (let i = 0; i < 1_500; i++) api.numbers.set(phoneAt(i), { phone: phoneAt(i), sid: 'HX1', pod: 'auto', endpoint_url: null })
    const run = await flowkey(['status'])
    expect(run.stdout).toContain('None of the 1500 numbers needs attention.')
    expect(run.code).toBe(0)
    expect(api.requests.filter((r) => r.path.startsWith('/v1/status'))).toHaveLength(2)
  })

  it('shows configuration problems first', async () => {
    api.status.problems = [
      { name: 'KALEYRA_SID', message: 'KALEYRA_SID is not set' },
      { name: 'CHECK_BATCH_SIZE', level: 'warning', message: 'CHECK_BATCH_SIZE is 60' },
    ]
    const run = await flowkey(['status'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Configuration:\n  problem  KALEYRA_SID: KALEYRA_SID is not set\n  warning  CHECK_BATCH_SIZE: CHECK_BATCH_SIZE is 60')
  })
})

describe('flowkey verify-endpoint-key', () => {
  const PHONE = '+919876543210'
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })

  /** What the worker serves, computed with jose from the public key alone (not the CLI's code path). */
  async function serve(publicKey: typeof pair.publicKey): Promise<{ kid: string; spki_sha256: string }> {
    const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const jwk = await exportJWK(await importSPKI(spkiPem, 'RSA-OAEP-256', { extractable: true }))
    const der = Buffer.from((await exportSPKI(await importSPKI(spkiPem, 'RSA-OAEP-256', { extractable: true }))).replace(/-----[^-]+-----|\s/g, ''), 'base64')
    const served = {
      kid: await calculateJwkThumbprint(jwk, 'sha256'),
      spki_sha256: createHash('sha256').update(der).digest('base64'),
      signature_status: 'VALID',
    }
    api.numbers.set(PHONE, { phone: PHONE, sid: 'HX1', pod: 'in', endpoint_url: null })
    api.keys.set(PHONE, served)
    return served
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
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/numbers/%2B919876543210/key`])
    const sent = JSON.stringify(api.requests)
    expect(sent).not.toContain(pem.split('\n')[1])
    expect(api.requests[0]?.body).toBe('')
    expect(api.requests[0]?.headers['authorization']).toBeUndefined()
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
    const unknown = await flowkey(['verify-endpoint-key', path, '--phone', '+14155550199'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('404 unknown_number: +14155550199 is not a watched number')
    const noPhone = await flowkey(['verify-endpoint-key', path])
    expect(noPhone.code).toBe(2)
    expect(noPhone.stderr).toContain('--phone <+91...> is required')
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
})
