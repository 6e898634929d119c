/** @module `npm start` against taken ports: it names each taken port and the variable that moves it, and starts or deletes nothing. */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN_TIMEOUT_MS = 20_000

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function runStart(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/start.ts'],
      {
        cwd: ROOT,
        timeout: RUN_TIMEOUT_MS,
        killSignal: 'SIGTERM',
        env: { ...process.env, PORT: '', ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    )
  })
}

const servers: Server[] = []
/** A port held by another listener for the duration of the test, as a running npm start would hold it. */
async function takenPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
/** A port nobody listens on (bound and released). */
async function freePort(): Promise<number> {
  const port = await takenPort()
  await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()))
  return port
}

const stateDirs: string[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('npm start with taken ports', () => {
  it(
    "refuses when the worker port is taken, names FLOWKEY_PORT, and leaves that port's state alone",
    async () => {
      const worker = await takenPort()
      const dir = join(ROOT, '.wrangler', 'start', String(worker))
      stateDirs.push(dir)
      mkdirSync(join(dir, 'state'), { recursive: true })
      const sentinel = join(dir, 'state', 'in-use.sqlite')
      writeFileSync(sentinel, 'a running instance owns this')
      const run = await runStart({
        FLOWKEY_PORT: String(worker),
        KALEYRA_EMULATOR_PORT: String(await freePort()),
        RECEIVER_PORT: String(await freePort()),
        FLOW_ENDPOINT_PORT: String(await freePort()),
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`port ${worker} (the worker (wrangler dev)) is taken`)
      expect(run.stderr).toContain('FLOWKEY_PORT=<free port>')
      expect(run.stderr).toContain('nothing was started or deleted')
      expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /)
      expect(run.stdout).not.toContain('flowkey is running')
      expect(existsSync(sentinel)).toBe(true)
    },
    RUN_TIMEOUT_MS + 5_000,
  )

  it(
    'names every taken port with its own variable at once',
    async () => {
      const [worker, kaleyra, receiver, flow] = [await takenPort(), await takenPort(), await takenPort(), await takenPort()]
      const run = await runStart({
        FLOWKEY_PORT: String(worker),
        KALEYRA_EMULATOR_PORT: String(kaleyra),
        RECEIVER_PORT: String(receiver),
        FLOW_ENDPOINT_PORT: String(flow),
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`port ${worker} (the worker (wrangler dev)) is taken`)
      expect(run.stderr).toContain(`port ${kaleyra} (the Kaleyra pod emulator) is taken`)
      expect(run.stderr).toContain('KALEYRA_EMULATOR_PORT=<free port>')
      expect(run.stderr).toContain(`port ${receiver} (the event receiver) is taken`)
      expect(run.stderr).toContain('RECEIVER_PORT=<free port>')
      expect(run.stderr).toContain(`port ${flow} (the Flow data endpoint emulator) is taken`)
      expect(run.stderr).toContain('FLOW_ENDPOINT_PORT=<free port>')
      expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /)
    },
    RUN_TIMEOUT_MS + 5_000,
  )

  it(
    'refuses one port asked for twice and a port that is not a number',
    async () => {
      const port = await freePort()
      const run = await runStart({
        FLOWKEY_PORT: String(port),
        KALEYRA_EMULATOR_PORT: String(port),
        RECEIVER_PORT: 'http',
        FLOW_ENDPOINT_PORT: String(await freePort()),
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(
        `port ${port} is asked for both the worker (wrangler dev) (FLOWKEY_PORT) and the Kaleyra pod emulator (KALEYRA_EMULATOR_PORT)`,
      )
      expect(run.stderr).toContain('RECEIVER_PORT must be a port number')
    },
    RUN_TIMEOUT_MS + 5_000,
  )
})
