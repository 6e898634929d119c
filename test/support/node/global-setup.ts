/** @module Starts the loopback servers that stand in for Kaleyra, Slack and webhook receivers. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((_req, res) => { res.end('hello from node') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  project.provide('probeUrl', `http://127.0.0.1:${port}`)
  return () => new Promise((resolve) => server.close(() => resolve()))
}

declare module 'vitest' {
  export interface ProvidedContext { probeUrl: string }
}
