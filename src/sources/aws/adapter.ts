/** @module AWS End User Messaging Social as a key source: GetWhatsAppBusinessPublicKey, signed with Signature Version 4 (sigv4.ts). */
import type { Secret } from '../../secret'
import type { KeySource } from '../source'
import { classifyAwsAnswer } from './classify'
import { signSigV4 } from './sigv4'

/** The signing name of the service (not its endpoint prefix, `social-messaging` too, nor its SDK name `socialmessaging`). */
export const AWS_SIGNING_NAME = 'social-messaging'

export interface AwsTarget {
  /** AWS_ENDPOINT_URL_SOCIALMESSAGING, or null for the region's own endpoint. */
  endpoint: string | null
  region: string
  /** `phone-number-id-…` or its ARN. */
  phoneNumberId: string
  accessKeyId: Secret
  secretAccessKey: Secret
  sessionToken: Secret | null
}

export function awsKeyUrl(target: Pick<AwsTarget, 'endpoint' | 'region' | 'phoneNumberId'>): string {
  const base = target.endpoint ?? `https://social-messaging.${target.region}.amazonaws.com`
  return `${base}/v1/whatsapp/business-public-key?originationPhoneNumberId=${encodeURIComponent(target.phoneNumberId)}`
}

/**
 * Signed afresh per attempt (a signature holds its time). The *Set* is a PUT of the same
 * resource with `businessPublicKey` or `kmsKeyArn`: the read is a GET without a body.
 */
export const awsSource: KeySource<AwsTarget> = {
  name: 'aws',
  buildRequest: async (target) => {
    const url = new URL(awsKeyUrl(target))
    const credentials = {
      accessKeyId: target.accessKeyId.reveal(),
      secretAccessKey: target.secretAccessKey.reveal(),
      sessionToken: target.sessionToken?.reveal() ?? null,
    }
    // The wall clock: AWS refuses a signature more than five minutes off its own.
    const headers = await signSigV4(
      { method: 'GET', url, headers: { accept: 'application/json' } },
      credentials,
      { service: AWS_SIGNING_NAME, region: target.region },
      new Date(),
    )
    return { url: url.toString(), method: 'GET', headers }
  },
  classify: classifyAwsAnswer,
}
