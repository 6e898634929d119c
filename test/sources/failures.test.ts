/** @module The failure table: one row per code of every source, and every predicate and sentence read from it. */
import { describe, expect, it } from 'vitest'
import { SOURCE_PREFIXES, SOURCE_REASONS } from '../../src/errors'
import { errorInWords, failureAdvice, failureCodes, failureRow, isSilence, meansHostDown, meansRefused, triesNextPod } from '../../src/sources/failures'
import { assertReadOnly } from '../../src/sources/read-key'
import { SourceError } from '../../src/sources/source-error'

describe('the table', () => {
  it('has a row, words and advice for every reason of every source, and no code twice', () => {
    const codes = failureCodes().map(([code]) => code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const prefix of SOURCE_PREFIXES) {
      for (const reason of SOURCE_REASONS) {
        const row = failureRow(`${prefix}_${reason}`)
        expect(row, `${prefix}_${reason}`).toBeDefined()
        expect(row?.words).toMatch(/\w/)
        expect(row?.advice({ sid: '' })).toMatch(/\w/)
      }
    }
    expect(failureRow('kaleyra_api_not_enabled')).toBeDefined()
    expect(failureRow('missing_credentials')).toBeDefined()
  })

  it('derives the Kaleyra pod predicates of before from its columns', () => {
    const nextPod = failureCodes()
      .map(([code]) => code)
      .filter(triesNextPod)
    expect(nextPod.sort()).toEqual(['kaleyra_api_not_enabled', 'kaleyra_auth_failed', 'kaleyra_server_error', 'kaleyra_timeout', 'kaleyra_unreachable'])
    expect(['kaleyra_auth_failed', 'kaleyra_api_not_enabled'].every(meansRefused)).toBe(true)
    expect(meansRefused('kaleyra_timeout')).toBe(false)
    expect(['timeout', 'unreachable', 'server_error'].every((r) => meansHostDown(`meta_${r}`))).toBe(true)
    expect(meansHostDown('aws_auth_failed')).toBe(false)
  })

  it('counts only a time-out or refusal without any HTTP answer as silence', () => {
    expect(isSilence('d360_timeout', null)).toBe(true)
    expect(isSilence('d360_timeout', 408)).toBe(false)
    expect(isSilence('d360_server_error', null)).toBe(false)
  })

  it('says each failure in words, and names the secret to check', () => {
    expect(errorInWords('meta_auth_failed')).toMatch(/Meta refused the access token/)
    expect(errorInWords('nobody_knows')).toBe('the check failed (nobody_knows)')
    expect(failureAdvice('d360_auth_failed', null)).toMatch(/D360_API_KEY_<ACCOUNT>/)
    expect(failureAdvice('kaleyra_auth_failed', '`HX1`')).toMatch(/Check the SID `HX1`/)
  })
})

describe('retrying follows the row', () => {
  it.each([
    ['aws_rate_limited', 429, true],
    ['meta_server_error', 500, true],
    ['meta_auth_failed', 401, false],
    ['d360_bad_response', 200, true],
    // A redirect or a plain 4xx is the same answer next time, whatever the code.
    ['d360_bad_response', 302, false],
    ['aws_bad_response', 404, false],
    ['aws_timeout', null, true],
  ])('%s (HTTP %s) retryable: %s', (code, status, retryable) => {
    expect(new SourceError(code as 'aws_timeout', 'x', { status }).retryable).toBe(retryable)
  })
})

describe('the reader refuses a write before it leaves', () => {
  it.each([
    ['PUT', 'https://example.test/x'],
    ['GET', 'https://example.test/x?business_public_key=abc'],
    ['GET', 'https://example.test/x?kmsKeyArn=abc'],
    ['GET', 'https://example.test/x?method=post'],
  ])('%s %s', (method, url) => {
    expect(() => assertReadOnly({ method: method as 'GET', url, headers: new Headers() })).toThrow(TypeError)
  })
})
