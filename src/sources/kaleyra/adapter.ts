/** @module Kaleyra as a key source: Get Encryption Public Key, a bodiless POST with the account's api-key header. */
import type { Secret } from '../../secret'
import type { KeySource } from '../source'
import { classifyAnswer } from './classify'

export interface KaleyraTarget {
  /** Pod base URL, e.g. `https://api.in.kaleyra.io`; the path follows it. */
  base: string
  sid: string
  /** Canonical E.164, `+` included, as in Kaleyra's sample request. */
  phone: string
  apiKey: Secret
}

export function flowsEncryptionUrl(target: Pick<KaleyraTarget, 'base' | 'sid' | 'phone'>): string {
  return `${target.base}/v2/${encodeURIComponent(target.sid)}/whatsapp/${target.phone}/flows_encryption`
}

/**
 * Kaleyra's *Set* Encryption Public Key API is this same request plus a
 * `business_public_key` form field, so the request never has a body.
 */
export const kaleyraSource: KeySource<KaleyraTarget> = {
  name: 'kaleyra',
  buildRequest: (target) =>
    Promise.resolve({
      url: flowsEncryptionUrl(target),
      method: 'POST',
      headers: new Headers({ 'api-key': target.apiKey.reveal(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }),
    }),
  classify: classifyAnswer,
}
