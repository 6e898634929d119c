/** @module Starts the loopback Kaleyra pod emulator and webhook receiver that tests inside workerd reach over 127.0.0.1. */
import type { TestProject } from 'vitest/node'
import { startKaleyraPod } from '../../../scripts/emulators/kaleyra-pod.js'
import { startReceiver } from '../../../scripts/emulators/receiver.js'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Quiet by default; EMULATOR_LOG=1 prints every upstream call and delivery when a test needs explaining.
  const log = process.env['EMULATOR_LOG'] ? (line: string) => console.error(line) : undefined
  const [kaleyra, receiver] = await Promise.all([startKaleyraPod({ log }), startReceiver({ log })])
  project.provide('kaleyraUrl', kaleyra.url)
  project.provide('receiverUrl', receiver.url)
  return async () => { await Promise.all([kaleyra.close(), receiver.close()]) }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared Kaleyra pod emulator; scope state by a SID unique to the test file. */
    kaleyraUrl: string
    /** Base URL of the shared Slack/webhook receiver; scope paths by a prefix unique to the test file. */
    receiverUrl: string
  }
}
