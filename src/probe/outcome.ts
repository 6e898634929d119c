/** @module What a probe found: the six outcomes of INTERFACE.md, and for each a sentence saying what to do. */

export const PROBE_OUTCOMES = ['ok', 'key_mismatch', 'signature_rejected', 'bad_response', 'http_error', 'unreachable'] as const
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number]

export interface ProbeResult {
  outcome: ProbeOutcome
  /** null when no answer came (unreachable). */
  http_status: number | null
  latency_ms: number
  /** The kid of the key the ping was encrypted with. */
  kid: string
  /** The endpoint without query string or user info: the only form that may be shown. */
  url: string
  /** Whether the ping carried X-Hub-Signature-256 (a Meta app secret was set). */
  signed: boolean
  /** A 432 to an unsigned ping says nothing about the key: shown, never alerted. */
  inconclusive: boolean
  /** ISO 8601, when the ping was sent. */
  probed_at: string
  /** What was seen, in a sentence; null when ok. Never holds the query string. */
  detail: string | null
  /** What to do, in a sentence. */
  advice: string
}

export interface AdviceFacts {
  outcome: ProbeOutcome
  kid: string
  http_status: number | null
  signed: boolean
}

/** The operator's next step. Kids are shown whole: the team compares them with the endpoint's key. */
export function adviceFor(facts: AdviceFacts): string {
  const { kid, http_status: status } = facts
  switch (facts.outcome) {
    case 'ok':
      return `Nothing: the endpoint decrypts requests encrypted with the registered key (kid ${kid}).`
    case 'key_mismatch':
      return `The endpoint cannot decrypt requests encrypted with the key WhatsApp holds for this number (kid ${kid}). Deploy the endpoint with the private key whose kid is ${kid}, or, if the endpoint's key pair is the right one, re-upload its public key for this number through Kaleyra (Set Encryption Public Key).`
    case 'signature_rejected':
      return facts.signed
        ? 'The endpoint rejected the X-Hub-Signature-256 of the probe: check that META_APP_SECRET (or META_APP_SECRET_<SID>) is the app secret of the Meta app that owns these Flows, and that the endpoint verifies the signature over the raw body bytes.'
        : 'Inconclusive: the endpoint checks request signatures and flowkey has no Meta app secret for this number. Set META_APP_SECRET (or META_APP_SECRET_<SID>) so probes are signed as WhatsApp signs its requests.'
    case 'bad_response':
      return `The endpoint answered 200 but not with the health check's answer: it must answer the ping with {"data":{"status":"active"}}, encrypted with the request's AES key and the inverted IV, as base64 (Meta's "Implementing Endpoint for Flows" guide).`
    case 'http_error':
      if (status !== null && status >= 300 && status < 400)
        return `The endpoint answered ${status}, a redirect, which WhatsApp may not follow and flowkey does not: configure the final URL.`
      if (status !== null && status >= 500)
        return `The endpoint answered ${status}: check its logs. Some endpoints answer 500 when they cannot decrypt, which means their private key is not the one for kid ${kid}.`
      return `The endpoint answered ${status ?? 'an unexpected status'}: check that the URL is the Flow's data endpoint and that it accepts POST requests.`
    case 'unreachable':
      return "flowkey could not reach the endpoint: check that it is deployed, that its host name resolves, and that it answers from the internet within 10 seconds, WhatsApp's own limit."
  }
}
