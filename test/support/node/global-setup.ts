/** @module Starts the loopback Kaleyra pod emulator, webhook receiver and Flow endpoint emulator that tests inside workerd reach over 127.0.0.1. */
import { createServer } from 'node:net'
import type { TestProject } from 'vitest/node'
import { startFlowEndpoint } from '../../../scripts/emulators/flow-endpoint.js'
import { startKaleyraPod } from '../../../scripts/emulators/kaleyra-pod.js'
import { startReceiver } from '../../../scripts/emulators/receiver.js'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Quiet by default; EMULATOR_LOG=1 prints every upstream call and delivery when a test needs explaining.
  const log = process.env['EMULATOR_LOG'] ? (line: string) => console.error(line) : undefined
  const [kaleyra, receiver, flowEndpoint, closedPort] = await Promise.all([
    startKaleyraPod({ log }),
    startReceiver({ log }),
    startFlowEndpoint({ log }),
    findClosedPort(),
  ])
  project.provide('kaleyraUrl', kaleyra.url)
  project.provide('receiverUrl', receiver.url)
  project.provide('flowEndpointUrl', flowEndpoint.url)
  project.provide('closedPortUrl', `http://127.0.0.1:${closedPort}`)
  return async () => {
    await Promise.all([kaleyra.close(), receiver.close(), flowEndpoint.close()])
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
  }
}
