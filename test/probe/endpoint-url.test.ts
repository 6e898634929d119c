/** @module Which endpoint URLs may be probed (public https:, never inward, never flowkey itself) and how one is shown: never its query string or user info. */
import { describe, expect, it } from 'vitest'
import { FlowkeyError } from '../../src/errors'
import { checkEndpointUrl, displayEndpointUrl, type EndpointRules } from '../../src/probe/endpoint-url'

const PUBLIC_ONLY: EndpointRules = { allowPrivate: false, ownOrigin: null }
const LOCAL_USE: EndpointRules = { allowPrivate: true, ownOrigin: null }

function refusal(raw: string, rules: EndpointRules = PUBLIC_ONLY): FlowkeyError {
  try {
    checkEndpointUrl(raw, rules)
  } catch (err) {
    expect(err).toBeInstanceOf(FlowkeyError)
    return err as FlowkeyError
  }
  throw new Error(`accepted ${raw}`)
}

describe('checkEndpointUrl', () => {
  it.each(['https://flows.example.com/data', 'https://flows.example.com:8443/data?token=abc', 'https://8.8.8.8/flow', 'https://[2606:4700::1111]/flow'])(
    'accepts the public %s, returned as given (query kept for the fetch)',
    (url) => {
      expect(checkEndpointUrl(`  ${url} `, PUBLIC_ONLY)).toBe(url)
    },
  )

  it.each([
    ['http://flows.example.com/data?token=abc', /must use https:/],
    ['http://8.8.8.8/data', /must use https:/],
    ['ftp://flows.example.com/data', /must be an https: URL/],
    ['javascript:alert(1)', /must be an https: URL/],
    ['flows.example.com/data', /is not a URL/],
    ['', /is not a URL/],
    ['https://user:pass@flows.example.com/data', /must not hold a user name or password/],
    ['https://flows.example.com/da\nta', /must not hold spaces or control characters/],
    ['https://flows.example.com/cdn-cgi/trace', /under \/cdn-cgi\//],
  ])('refuses %j with invalid_request', (url, message) => {
    const err = refusal(url)
    expect(err.code).toBe('invalid_request')
    expect(err.message).toMatch(message)
  })

  it('never puts the query string or the password in its message', () => {
    for (const url of [
      'http://flows.example.com/d?token=SECRET',
      'https://u:SECRET@flows.example.com/d?token=SECRET',
      'nota url?token=SECRET',
      `https://x.example/${'a'.repeat(3000)}?token=SECRET`,
      'https://10.0.0.1/d?token=SECRET',
    ]) {
      expect(refusal(url).message).not.toContain('SECRET')
    }
  })

  it('shows a long URL clipped', () => {
    expect(refusal(`http://flows.example.com/${'a'.repeat(2000)}`).message.length).toBeLessThan(250)
  })
})

describe('no probe target turned inward (ALLOW_PRIVATE_ENDPOINTS unset)', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', /link-local \(cloud metadata\) address \(169\.254\.0\.0\/16\)/],
    ['https://127.0.0.1:8787/', /loopback address/],
    ['https://[::ffff:127.0.0.1]/', /loopback address \(127\.0\.0\.0\/8\) in its IPv4-mapped/],
    ['https://[::ffff:169.254.169.254]/', /link-local .* in its IPv4-mapped/],
    ['https://2130706433/', /loopback address/],
    ['https://0x7f.1/', /loopback address/],
    ['https://127.1/', /loopback address/],
    ['https://0177.0.0.1/', /loopback address/],
    ['https://localhost/', /names localhost/],
    ['https://LOCALHOST./', /names localhost/],
    ['https://flows.localhost/', /names localhost/],
    ['https://10.1.2.3/', /private address \(10\.0\.0\.0\/8\)/],
    ['https://172.31.255.255/', /private address \(172\.16\.0\.0\/12\)/],
    ['https://192.168.1.1/', /private address \(192\.168\.0\.0\/16\)/],
    ['https://100.64.0.1/', /carrier-grade NAT/],
    ['https://0.0.0.0/', /unspecified address/],
    ['https://0/', /unspecified address/],
    ['https://224.0.0.1/', /multicast/],
    ['https://255.255.255.255/', /reserved or broadcast/],
    ['https://[::1]/', /loopback address \(::1\)/],
    ['https://[0:0:0:0:0:0:0:1]/', /loopback address \(::1\)/],
    ['https://[::]/', /unspecified address \(::\)/],
    ['https://[fc00::1]/', /unique-local/],
    ['https://[fd12:3456::1]/', /unique-local/],
    ['https://[fe80::1]/', /outside IPv6 global unicast/],
    ['https://[ff02::1]/', /outside IPv6 global unicast/],
    ['https://[::127.0.0.1]/', /IPv4-compatible/],
    ['https://[64:ff9b::a9fe:a9fe]/', /outside IPv6 global unicast/],
    ['https://[2002:c0a8:0101::1]/', /private address \(192\.168\.0\.0\/16\) in its 6to4/],
    ['https://[2001:db8::1]/', /documentation address/],
    ['https://[2001::1]/', /Teredo/],
  ])('refuses %s, saying why', (url, why) => {
    const err = refusal(url)
    expect(err.code).toBe('invalid_request')
    expect(err.message).toMatch(why)
  })
})

describe('ALLOW_PRIVATE_ENDPOINTS=true (npm start, tests)', () => {
  it.each([
    'http://127.0.0.1:9000/data',
    'http://127.45.6.7/x',
    'http://localhost:3000/',
    'http://[::1]:3000/flow',
    'https://10.0.0.8/data',
    'https://[fd00::8]/data',
  ])('accepts %s', (url) => {
    expect(checkEndpointUrl(url, LOCAL_USE)).toBe(url)
  })

  it.each([
    ['http://10.0.0.1/data', /must use https:/],
    ['https://169.254.169.254/', /never probes/],
    ['https://[fe80::1]/', /never probes/],
    ['https://0.0.0.0:8787/', /never probes/],
    ['https://224.0.0.1/', /never probes/],
    ['http://127.0.0.1:8787/cdn-cgi/handler/scheduled', /under \/cdn-cgi\//],
    ['http://127.0.0.1:8787/%63dn-cgi/handler/scheduled', /under \/cdn-cgi\//],
    ['http://127.0.0.1:8787//CDN-CGI/handler/scheduled', /under \/cdn-cgi\//],
    ['http://127.0.0.1:8787/x/../cdn-cgi/handler/scheduled', /under \/cdn-cgi\//],
  ])('still refuses %s', (url, why) => {
    expect(refusal(url, LOCAL_USE).message).toMatch(why)
  })

  it("never the worker's own origin, however it is spelled", () => {
    const rules = { allowPrivate: true, ownOrigin: 'http://127.0.0.1:8787' }
    for (const url of ['http://127.0.0.1:8787/v1/check', 'http://localhost:8787/', 'http://[::1]:8787/x', 'https://127.0.0.1:8787/']) {
      expect(refusal(url, rules).message).toMatch(/is flowkey's own origin/)
    }
    expect(checkEndpointUrl('http://127.0.0.1:8788/data', rules)).toBe('http://127.0.0.1:8788/data')
    const deployed = { allowPrivate: false, ownOrigin: 'https://flowkey.example.workers.dev' }
    expect(refusal('https://FLOWKEY.example.workers.dev/healthz', deployed).message).toMatch(/own origin/)
    expect(refusal('https://flowkey.example.workers.dev:443/', deployed).message).toMatch(/own origin/)
    expect(checkEndpointUrl('https://flows.example.com/data', deployed)).toBe('https://flows.example.com/data')
  })
})

describe('displayEndpointUrl', () => {
  it('keeps scheme, host, port and path; drops query, fragment and user info', () => {
    expect(displayEndpointUrl('https://u:p@flows.example.com:8443/a/b?token=abc#frag')).toBe('https://flows.example.com:8443/a/b')
    expect(displayEndpointUrl('http://127.0.0.1:9000/data?x=1')).toBe('http://127.0.0.1:9000/data')
    expect(displayEndpointUrl(new URL('https://flows.example.com'))).toBe('https://flows.example.com/')
  })

  it('cuts even text that is not a URL at its query', () => {
    expect(displayEndpointUrl('nota url?token=abc')).toBe('nota url')
  })
})
