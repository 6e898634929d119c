/** @module Starts the loopback emulators (Kaleyra pod, Meta, 360dialog, AWS, webhook receiver, Flow endpoint) that tests inside workerd reach over 127.0.0.1, and fails the run if a key source saw a write. */
import { createServer } from 'node:net'
import type { TestProject } from 'vitest/node'
import { startFlowEndpoint } from '../../../scripts/emulators/flow-endpoint.js'
import { startKaleyraPod } from '../../../scripts/emulators/kaleyra-pod.js'
import { startAwsSocial } from '../../../scripts/emulators/aws-social.js'
import { startD360 } from '../../../scripts/emulators/d360.js'
import { startMetaGraph } from '../../../scripts/emulators/meta-graph.js'
import { assertOnlyReads } from '../../../scripts/emulators/read-only.js'
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
  const sources = [kaleyra, meta, d360, aws]
  return async () => {
    await Promise.all([receiver.close(), flowEndpoint.close(), ...sources.map((e) => e.close())])
    // flowkey only reads: one write (a write method, or a body on any request, a GET's too) seen by any key
    // source's emulator in the whole suite fails the run. The guards keep every request; no test can clear them.
    // The Flow endpoint emulator is left out: the probe's POST carries a body by contract.
    try {
      assertOnlyReads(sources.map((e) => e.guard))
    } catch (err) {
      // vitest only logs what a global teardown throws ("error during close") and still exits 0: CI reads the exit code.
      process.exitCode = 1
      throw err
    }
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
