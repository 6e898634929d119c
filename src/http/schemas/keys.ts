/** @module Schemas of the public key routes: JWK, JWKS, the key document and the history. */
import * as z from './z'
import { EVENT_TYPES, NOTE_TYPES } from '../../notify/events'
import { SOURCE_NAMES } from '../../sources/source'

const isoTime = z.string().openapi({ format: 'date-time' })

export const JwkSchema = z
  .object({
    kty: z.literal('RSA'),
    n: z.string(),
    e: z.string(),
    alg: z.literal('RSA-OAEP-256'),
    use: z.literal('enc'),
    kid: z.string().openapi({ description: 'RFC 7638 SHA-256 thumbprint, base64url' }),
  })
  .openapi('Jwk')

export const JwksSchema = z.object({ keys: z.array(JwkSchema) }).openapi('Jwks')

export const KeySchema = z
  .object({
    phone: z.string(),
    kid: z.string(),
    jwk: JwkSchema,
    pem: z.string(),
    spki_sha256: z.string().openapi({ description: 'base64 of SHA-256 over the DER SubjectPublicKeyInfo' }),
    signature_status: z.string(),
    source: z.enum(SOURCE_NAMES).openapi({ description: 'Where the key was read: kaleyra, meta, 360dialog or aws' }),
    pod: z.string().nullable().openapi({ description: "Kaleyra's pod that answered; null for another source" }),
    first_seen_at: isoTime,
    fetched_at: isoTime.nullable(),
    checked_at: isoTime.nullable(),
  })
  .openapi('Key')

/** The documented event types are the ones notify/events.ts records: one list. */
export const EVENT_TYPE_NAMES = EVENT_TYPES

export const EventSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    type: z.enum([...EVENT_TYPE_NAMES, ...NOTE_TYPES]).openapi({ description: 'number.muted and number.unmuted are history entries only: never sent' }),
    timestamp: isoTime,
    data: z.object({
      phone: z.string(),
      source: z.enum(SOURCE_NAMES).nullable().openapi({ description: "The number's key source" }),
      sid: z.string().nullable().openapi({ description: 'Kaleyra SID; null without the operator token, and for another source' }),
      pod: z.string().nullable(),
      kid: z.string().nullable(),
      previous_kid: z.string().nullable(),
      spki_sha256: z.string().nullable(),
      signature_status: z.string().nullable(),
      previous_signature_status: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string().optional() }).nullable().openapi({ description: 'only the code without the operator token' }),
      endpoint: z.object({ url: z.string(), outcome: z.string(), http_status: z.number().int().nullable() }).nullable().optional(),
    }),
  })
  .openapi('Event')

export const HistorySchema = z.object({ phone: z.string(), events: z.array(EventSchema) }).openapi('History')
