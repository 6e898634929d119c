/** @module The sweep itself: it must find a secret in each spelling it claims, or its clean results mean nothing. */
import { describe, expect, it } from 'vitest'
import { SecretSweep } from '../support/secret-sweep'

const SECRET = 'Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc'

describe('SecretSweep finds', () => {
  it.each([
    ['whole', `x ${SECRET} y`, 'whole'],
    ['upper case', SECRET.toUpperCase(), 'whole'],
    ['URL-encoded', encodeURIComponent(`${SECRET}/`), 'whole'],
    ['base64, one byte in', btoa(`x${SECRET}`), 'base64+1'],
    ['base64url, two bytes in', btoa(`xy${SECRET}??`).replace(/\+/g, '-').replace(/\//g, '_'), 'base64+2'],
    ['the first 20 characters (finding 1)', `message… ${SECRET.slice(0, 20)}…`, 'part@0'],
  ])('%s', (_, text, form) => {
    const sweep = new SecretSweep([SECRET])
    sweep.add('sample', text)
    expect(sweep.leaks().map((l) => l.form)).toContain(form)
    expect(() => sweep.expectClean()).toThrow()
  })

  it('nothing in text without the secret, and refuses to pass when it collected nothing', () => {
    const sweep = new SecretSweep([SECRET])
    expect(() => sweep.expectClean()).toThrow(/collected nothing/)
    sweep.add('sample', 'Please try again later [redacted]')
    expect(sweep.leaks()).toEqual([])
  })
})
