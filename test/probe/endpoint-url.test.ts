/** @module Which endpoint URLs are accepted (https, loopback http) and how one is shown: never its query string or user info. */
import { describe, expect, it } from 'vitest'
import { FlowkeyError } from '../../src/errors'
import { checkEndpointUrl, displayEndpointUrl, isLoopback } from '../../src/probe/endpoint-url'

function refusal(raw: string): FlowkeyError {
  try {
    checkEndpointUrl(raw)
  } catch (err) {
    expect(err).toBeInstanceOf(FlowkeyError)
    return err as FlowkeyError
  }
  throw new Error(`accepted ${raw}`)
}

describe('checkEndpointUrl', () => {
  it.each([
    'https://flows.example.com/data',
    'https://flows.example.com:8443/data?token=abc',
    'http://127.0.0.1:9000/data',
    'http://127.45.6.7/x',
    'http://localhost:3000/',
    'http://[::1]:3000/flow',
  ])('accepts %s, returned as given (query kept for the fetch)', (url) => {
    expect(checkEndpointUrl(`  ${url} `)).toBe(url)
  })

  it.each([
    ['http://flows.example.com/data?token=abc', /must use https:/],
    ['http://10.0.0.1/data', /must use https:/],
    ['http://128.0.0.1/data', /must use https:/],
    ['http://localhost.example.com/data', /must use https:/],
    ['ftp://flows.example.com/data', /must be an https: URL/],
    ['javascript:alert(1)', /must be an https: URL/],
    ['flows.example.com/data', /is not a URL/],
    ['', /is not a URL/],
    ['https://user:pass@flows.example.com/data', /must not hold a user name or password/],
  ])('refuses %s with invalid_request', (url, message) => {
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
    ]) {
      expect(refusal(url).message).not.toContain('SECRET')
    }
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

describe('isLoopback', () => {
  it('is 127.0.0.0/8, localhost and [::1] only', () => {
    expect(['127.0.0.1', '127.255.255.254', 'localhost', 'LOCALHOST', '[::1]'].every(isLoopback)).toBe(true)
    expect(['128.0.0.1', '10.0.0.1', '0.0.0.0', '[::2]', 'example.com', '127.0.0.1.example.com'].some(isLoopback)).toBe(false)
  })
})
