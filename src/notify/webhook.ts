/** @module The generic webhook: the INTERFACE.md body, signed per the Standard Webhooks specification by its official library. */
import { Webhook } from 'standardwebhooks'
import type { Secret } from '../secret'

/** What flowkey sends for every event (and for `ping`): fields that do not apply are null. */
export interface WebhookBody {
  type: string
  timestamp: string
  data: object
}

export interface SignedRequest {
  headers: Record<string, string>
  body: string
}

/** Signs with the official Standard Webhooks library (pure JS, so it runs on Workers as anywhere). */
export type WebhookSigner = Pick<Webhook, 'sign'>

/** The HMAC key is the base64 after `whsec_` (a bare base64 secret is accepted too, as the reference libraries do). */
export async function importWebhookKey(secret: Secret): Promise<WebhookSigner> {
  try {
    return new Webhook(secret.reveal())
  } catch (err) {
    // The library's own messages name neither the setting nor its form.
    if (err instanceof Error && /empty/i.test(err.message)) throw new TypeError('WEBHOOK_SECRET must not be empty', { cause: err })
    throw new TypeError('WEBHOOK_SECRET must look like whsec_<base64>', { cause: err })
  }
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the signed content binds the id and time to the exact bytes sent. */
export async function signWebhook(key: WebhookSigner, id: string, timestampS: number, body: string): Promise<string> {
  return key.sign(id, new Date(timestampS * 1000), body)
}

/**
 * One attempt's request. `id` is the event's id on every attempt (receivers dedupe on it);
 * the timestamp is this attempt's real time, because receivers reject signatures older than a few minutes.
 */
export async function signedRequest(key: WebhookSigner, id: string, payload: WebhookBody, realNowMs: number): Promise<SignedRequest> {
  const body = JSON.stringify(payload)
  const timestamp = Math.floor(realNowMs / 1000)
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'flowkey',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signWebhook(key, id, timestamp, body),
    },
  }
}
