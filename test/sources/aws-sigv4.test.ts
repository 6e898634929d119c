/**
 * @module The AWS source's Signature Version 4 against AWS's own published test suite (aws-sig-v4-test-suite,
 * https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html, as botocore and aws-c-auth carry it),
 * so the signer is checked against AWS and not only against our AWS emulator's verifier.
 */
import { describe, expect, it } from 'vitest'
import { signSigV4 } from '../../src/sources/aws/sigv4'

// The suite's credentials, scope and time, shared by every case.
const SUITE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: null }
const SUITE_SCOPE = { service: 'service', region: 'us-east-1' }
const SUITE_TIME = new Date('2015-08-30T12:36:00Z')
const SUITE_CREDENTIAL = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date'

async function signSuiteGet(url: string): Promise<Headers> {
  return signSigV4({ method: 'GET', url: new URL(url), headers: {} }, SUITE_CREDENTIALS, SUITE_SCOPE, SUITE_TIME)
}

describe('the AWS SigV4 test suite', () => {
  it('get-vanilla: get-vanilla.authz', async () => {
    const headers = await signSuiteGet('https://example.amazonaws.com/')
    expect(headers.get('x-amz-date')).toBe('20150830T123600Z')
    expect(headers.get('authorization')).toBe(`${SUITE_CREDENTIAL}, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`)
  })

  it('get-vanilla-query-order-key-case: the query is sorted before signing', async () => {
    const headers = await signSuiteGet('https://example.amazonaws.com/?Param2=value2&Param1=value1')
    expect(headers.get('authorization')).toBe(`${SUITE_CREDENTIAL}, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`)
  })
})

describe('what the AWS source adds to the suite', () => {
  it('signs and sends a session token, and signs the headers it is given', async () => {
    const headers = await signSigV4(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: { Accept: 'application/json' } },
      { ...SUITE_CREDENTIALS, sessionToken: 'session-token-example' },
      SUITE_SCOPE,
      SUITE_TIME,
    )
    expect(headers.get('x-amz-security-token')).toBe('session-token-example')
    expect(headers.get('accept')).toBe('application/json')
    expect(headers.get('authorization')).toMatch(/SignedHeaders=accept;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/)
    // The secret itself never travels: only the signature made with it.
    expect([...headers.values()].join('\n')).not.toContain(SUITE_CREDENTIALS.secretAccessKey)
  })
})
