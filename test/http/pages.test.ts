/** @module The status pages: problems first with what to do, words beside colours, times with their absolute value, paging, nothing secret. */
import { reset } from 'cloudflare:test'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FleetView, NumberView } from '../../src/http/views/fleet'
import { PAGE_SIZE, buildStatusPage } from '../../src/http/views/status-page'
import { tallyFleet } from '../../src/rules/attention'
import { Account } from '../support/kaleyra'
import { makeKey } from '../support/keys'
import { forgetIsolateCache, request, testEnv, tick, bodyText } from '../support/worker'

const account = new Account('HXPAGESTEST001IN', 'pages-test-api-key-never-shown')
const A = '+919830000001'
const B = '+919830000002'
const env = (vars = {}): ReturnType<typeof testEnv> => testEnv(account, { WATCH_NUMBERS: `${A},${B}`, ...vars })

beforeAll(async () => {
  await account.create()
})
beforeEach(async () => {
  await reset()
  forgetIsolateCache()
  await account.addNumber(A, { pem: (await makeKey()).pem, status: 'VALID' })
  await account.addNumber(B, { pem: (await makeKey()).pem, status: 'VALID' })
  await tick(env())
})

async function page(path: string, vars = {}): Promise<string> {
  const res = await request(env(vars), path)
  expect(res.status, path).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  return res.text()
}

describe('GET /', () => {
  it('says all healthy with the last run as a <time> carrying the absolute time', async () => {
    const html = await page('/')
    expect(html).toContain('All healthy')
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+" title="\d{4}-\d\d-\d\d [^"]+ UTC">/)
    expect(html).toContain(`href="/numbers/${encodeURIComponent(A)}"`)
  })

  it('puts the number that needs attention first, saying what is wrong and what to do', async () => {
    await account.setStatus(B, 'MISMATCH')
    await tick(env(), Date.now() + 60_000)
    const html = await page('/')
    expect(html).toContain('1 need attention')
    expect(html.indexOf(B)).toBeLessThan(html.indexOf(A))
    expect(html).toContain('Signature not valid')
    expect(html).toMatch(/MISMATCH/)
    expect(html).toContain('What to do:')
  })

  it('shows configuration problems at the top, and never a secret or the API key', async () => {
    const html = await page('/', { WEBHOOK_URL: 'https://hooks.example.com/secret-path' })
    expect(html).toContain('Configuration problems')
    expect(html.indexOf('Configuration problems')).toBeLessThan(html.indexOf('id="numbers"'))
    expect(html).not.toContain(account.apiKey)
  })
})

describe('GET /numbers/{phone}', () => {
  it('shows the keys, signature, last check, endpoint state and history newest first, with links to JWKS, key and PEM', async () => {
    await account.rotate(A, (await makeKey()).pem)
    await tick(env(), Date.now() + 60_000)
    const html = await page(`/numbers/${encodeURIComponent(A)}`)
    const base = `/v1/numbers/${encodeURIComponent(A)}`
    for (const link of [`${base}/jwks.json`, `${base}/key`, `${base}/key?format=pem`]) expect(html).toContain(`href="${link}"`)
    expect(html).toContain('Previous kid')
    expect(html).toContain('Not configured')
    expect(html.indexOf('Key rotated')).toBeLessThan(html.indexOf('Key seen for the first time'))
    const pem = await request(env(), `${base}/key?format=pem`)
    expect(pem.headers.get('content-type')).toMatch(/^application\/x-pem-file/)
    expect(await bodyText(pem)).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })

  it('answers 404 unknown_number for a number never watched', async () => {
    const res = await request(env(), '/numbers/+14155550100')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_number' } })
  })
})

describe('buildStatusPage (pure) at fleet size', () => {
  const now = Date.parse('2026-11-25T12:00:00Z')
  const all: NumberView[] = Array.from({ length: 10_000 }, (_, i) => ({
    phone: `+9198${String(i).padStart(8, '0')}`,
    checked_at: '2026-11-25T11:59:00Z',
    outcome: i % 2500 === 7 ? 'error' : 'key',
    error_code: i % 2500 === 7 ? 'kaleyra_auth_failed' : null,
    consecutive_failures: i % 2500 === 7 ? 4 : 0,
    failing: i % 2500 === 7,
    kid: 'kid',
    signature_status: 'VALID',
    pod: 'in',
    source: 'Kaleyra',
    endpoint: i === 42 ? { outcome: 'key_mismatch', probed_at: '2026-11-25T11:59:30Z', http_status: 421, latency_ms: 12, consecutive_failures: 1 } : null,
    attention: i === 42 ? ['endpoint_key_mismatch'] : i % 2500 === 7 ? ['check_failing'] : [],
    labels: [],
    checks: [],
    muted: null,
  }))
  const fleet = tallyFleet(all, [])
  // The ledger ranks and pages (test/ledger/fleet-index.test.ts): the page renders the one page it gets, as it gets it.
  const ranked = [...all.filter((n) => n.attention.length > 0), ...all.filter((n) => n.attention.length === 0)]
  const view: FleetView = {
    now,
    last_run: null,
    next_run_at: null,
    problems: [],
    numbers: ranked.slice(0, PAGE_SIZE),
    next_cursor: '10-919800000049',
    channels: [],
    fleet: { ...fleet, numbers: all.length },
  }
  const items = (html: string): number => (html.match(/<li[\s>]/g) ?? []).length

  it("says the whole fleet's counts, lists the page it is given, and links the next one", () => {
    const html = String(buildStatusPage(view, {}))
    expect(items(html)).toBe(PAGE_SIZE)
    expect(html).toContain('5 of 10000 watched numbers need attention')
    expect(html).toContain('Endpoint key mismatch')
    expect(html.indexOf('>+919800000007<')).toBeGreaterThan(0)
    expect(html.indexOf('>+919800000007<')).toBeLessThan(html.indexOf('>+919800000000<'))
    expect(html).toContain('href="/?cursor=10-919800000049"')
    expect(html).not.toContain('First page')
    const later = String(buildStatusPage({ ...view, next_cursor: null }, { cursor: '10-919800000049' }))
    expect(later).toContain('href="/"')
    expect(later).not.toContain('Next →')
    const found = String(buildStatusPage({ ...view, numbers: [all[9999] as NumberView], next_cursor: null }, { q: '00009999' }))
    expect(items(found)).toBe(1)
    expect(found).toContain('+919800009999')
    expect(found).toContain('value="00009999"')
  })
})

describe('buildNumberPage (pure) with endpoint data', () => {
  it('shows a key mismatch in words and colour, with what to do, and never the endpoint URL', async () => {
    const { buildNumberPage } = await import('../../src/http/views/number-page')
    const now = Date.parse('2026-11-25T12:00:00Z')
    const html = String(
      buildNumberPage({
        now,
        phone: '+919830000009',
        watched: true,
        number: {
          phone: '+919830000009',
          checked_at: '2026-11-25T11:59:00Z',
          outcome: 'key',
          error_code: null,
          consecutive_failures: 0,
          failing: false,
          kid: 'kid-now',
          signature_status: 'VALID',
          pod: 'in',
          source: 'Kaleyra',
          endpoint: { outcome: 'key_mismatch', probed_at: '2026-11-25T11:59:30Z', http_status: 421, latency_ms: 12, consecutive_failures: 1 },
          attention: ['endpoint_key_mismatch'],
          labels: [],
          checks: [],
          muted: null,
        },
        current: { kid: 'kid-now', signature_status: 'VALID', first_seen_at: '2026-11-20T00:00:00Z', spki_sha256: 'abc=' },
        previous: null,
        history: [
          {
            type: 'endpoint.key_mismatch',
            timestamp: '2026-11-25T11:59:30Z',
            kid: 'kid-now',
            previous_kid: null,
            signature_status: 'VALID',
            error_code: null,
            mute: null,
          },
        ],
      }),
    )
    expect(html).toContain('Endpoint key mismatch')
    expect(html).toContain('What to do:')
    expect(html).toContain('Cannot decrypt with the registered key</span> (HTTP 421)')
    expect(html).toContain('Endpoint cannot decrypt with the registered key')
    expect(html).not.toContain('Not configured')
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3)/)
  })
})

describe('what a public page repeats', () => {
  it('names a signature status only when it looks like one of WhatsApp’s words', async () => {
    const { signatureInWords } = await import('../../src/http/views/wording')
    expect(signatureInWords('MISMATCH')).toBe('MISMATCH')
    expect(signatureInWords('SECRET-API-KEY-ECHOED-BACK abc123')).toBe('an unexpected value')
    expect(signatureInWords('X'.repeat(5000))).toBe('an unexpected value')
    expect(signatureInWords(null)).toBe('unknown')
  })
})
