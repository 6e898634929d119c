/** @module Meta's Graph API as a key source: `GET {version}/{phone_number_id}/whatsapp_business_encryption` with a bearer token. */
import type { Secret } from '../../secret'
import { classifyGraphAnswer } from '../graph-answer'
import { SOURCE_INFO, type KeySource } from '../source'

export interface MetaTarget {
  /** META_GRAPH_URL, e.g. `https://graph.facebook.com`. */
  base: string
  /** META_GRAPH_VERSION, e.g. `v25.0`. */
  version: string
  /** Meta's numeric id of the business phone number. */
  phoneNumberId: string
  token: Secret
}

/** A read: both fields named, so the answer is the same whatever Graph's default fields are. */
const FIELDS = 'business_public_key,business_public_key_signature_status'

export function metaKeyUrl(target: Pick<MetaTarget, 'base' | 'version' | 'phoneNumberId'>): string {
  return `${target.base}/${target.version}/${encodeURIComponent(target.phoneNumberId)}/whatsapp_business_encryption?fields=${FIELDS}`
}

/** Meta's *Set* is a POST to the same URL with `business_public_key`: the read is a GET with neither. */
export const metaSource: KeySource<MetaTarget> = {
  name: 'meta',
  buildRequest: (target) =>
    Promise.resolve({
      url: metaKeyUrl(target),
      method: 'GET',
      headers: new Headers({ authorization: `Bearer ${target.token.reveal()}`, accept: 'application/json' }),
    }),
  classify: (raw, redact) => classifyGraphAnswer('meta', SOURCE_INFO.meta.words, raw, redact),
}
