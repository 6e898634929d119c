/** @module `npm start`'s numbers on the other key sources: a Meta, a 360dialog and an AWS emulator with one demo number each. */
import { randomBytes } from 'node:crypto'
import { startAwsSocial } from '../emulators/aws-social.js'
import { startD360 } from '../emulators/d360.js'
import { startMetaGraph } from '../emulators/meta-graph.js'
import type { SourceEmulator } from '../emulators/source-emulator.js'

export const META_DEMO_ID = '109876543210001'
const AWS_DEMO_ID = `phone-number-id-${'d'.repeat(32)}`
const AWS_REGION = 'eu-west-1'

/** What the worker is told (vars and secrets), and the numbers to add through PUT /v1/numbers once it runs. */
export interface DemoSources {
  emulators: { meta: SourceEmulator; d360: SourceEmulator; aws: SourceEmulator }
  vars: Record<string, string>
  numbers: { phone: string; body: Record<string, string> }[]
  close(): Promise<void>
}

export async function startDemoSources(log: (line: string) => void): Promise<DemoSources> {
  // Ephemeral ports: the worker learns them from its env file.
  const [meta, d360, aws] = await Promise.all([startMetaGraph({ log }), startD360({ log }), startAwsSocial({ log })])
  const token = `demo-meta-${randomBytes(12).toString('hex')}`
  const channelKey = `demo-d360-${randomBytes(12).toString('hex')}`
  const accessKeyId = `AKIADEMO${randomBytes(6).toString('hex').toUpperCase()}`
  const secretKey = randomBytes(20).toString('base64')
  await meta.state.putNumber(META_DEMO_ID, { credential: token })
  await d360.state.putNumber('demo-channel', { credential: channelKey })
  aws.state.credentials.set(accessKeyId, { secret: secretKey, sessionToken: null })
  await aws.state.putNumber(AWS_DEMO_ID, { region: AWS_REGION })
  return {
    emulators: { meta, d360, aws },
    vars: {
      META_GRAPH_URL: meta.url,
      D360_API_URL: d360.url,
      AWS_ENDPOINT_URL_SOCIALMESSAGING: aws.url,
      META_ACCESS_TOKEN_DEMO: token,
      D360_API_KEY_DEMO: channelKey,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretKey,
    },
    numbers: [
      { phone: '+14155550201', body: { source: 'meta', phone_number_id: META_DEMO_ID, account: 'demo' } },
      { phone: '+14155550202', body: { source: '360dialog', account: 'demo' } },
      { phone: '+14155550203', body: { source: 'aws', phone_number_id: AWS_DEMO_ID, region: AWS_REGION } },
    ],
    close: async () => {
      await Promise.all([meta.close(), d360.close(), aws.close()])
    },
  }
}
