/** @module Starts the loopback Kaleyra pod emulator, webhook receiver and Flow endpoint emulator that tests inside workerd reach over 127.0.0.1. */
import { createServer } from 'node:net'
import type { TestProject } from 'vitest/node'
import { startFlowEndpoint } from '../../../scripts/emulators/flow-endpoint.js'
import { startKaleyraPod } from '../../../scripts/emulators/kaleyra-pod.js'
import { startAwsSocial } from '../../../scripts/emulators/aws-social.js'
import { startD360 } from '../../../scripts/emulators/d360.js'
import { startMetaGraph } from '../../../scripts/emulators/meta-graph.js'
import { startReceiver } from '../../../scripts/emulators/receiver.js'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Quiet by default; EMULATOR_LOG=1 prints every upstream call and delivery when a test needs explaining.
  const log = process.env['EMULATOR_LOG'] ? (line: string) => console.error(line) : undefined
  const [kaleyra, receiver, flowEndpoint, closedPort, meta, d360, aws] = await Promise.all([
    startKaleyraPod({ log }),
    startReceiver({ log }),
    startFlowEndpoint({ log }),
    findClosedPort(),
    startMetaGraph({ log }),
    startD360({ log }),
    startAwsSocial({ log }),
  ])
  project.provide('kaleyraUrl', kaleyra.url)
  project.provide('receiverUrl', receiver.url)
  project.provide('flowEndpointUrl', flowEndpoint.url)
  project.provide('closedPortUrl', `http://127.0.0.1:${closedPort}`)
  project.provide('metaGraphUrl', meta.url)
  project.provide('d360Url', d360.url)
  project.provide('awsUrl', aws.url)
  const sources = [meta, d360, aws]
  return async () => {
    // flowkey only reads: a single write seen by any source emulator in the whole suite fails the run.
    const writes = sources.flatMap((e) => e.state.requests.filter((r) => r.writes.length > 0))
    await Promise.all([kaleyra.close(), receiver.close(), flowEndpoint.close(), ...sources.map((e) => e.close())])
    if (writes.length > 0) throw new Error(`a key source emulator saw ${writes.length} write(s): ${JSON.stringify(writes.slice(0, 3))}`)
  }
}

/** A port that was just free and is closed again, so a connection to it is refused. */
function findClosedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared Kaleyra pod emulator; scope state by a SID unique to the test file. */
    kaleyraUrl: string
    /** Base URL of the shared Slack/webhook receiver; scope paths by a prefix unique to the test file. */
    receiverUrl: string
    /** Base URL of the shared Flow endpoint emulator; scope endpoint paths by a prefix unique to the test file. */
    flowEndpointUrl: string
    /** A loopback port nothing listens on: connections are refused. */
    closedPortUrl: string
    /** Base URLs of the Meta Graph, 360dialog and AWS emulators; scope number ids by a prefix unique to the test file. */
    metaGraphUrl: string
    d360Url: string
    awsUrl: string
  }
}
