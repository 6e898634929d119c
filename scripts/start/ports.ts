/** @module The ports `npm start` needs, where each is set, and a check that they are free before anything is touched. */
import { createServer } from 'node:net'

export interface PortNeed {
  /** What listens there, in words. */
  role: string
  port: number
  /** The environment variable that moves it. */
  variable: string
}

/** Each port from its variable (`FLOWKEY_PORT` also answers to the older `PORT`), or its default. */
export function portsFromEnv(env: NodeJS.ProcessEnv): PortNeed[] {
  return [
    { role: 'the worker (wrangler dev)', variable: 'FLOWKEY_PORT', port: toPort(env['FLOWKEY_PORT'] ?? env['PORT'], 8787) },
    { role: 'the Kaleyra pod emulator', variable: 'KALEYRA_EMULATOR_PORT', port: toPort(env['KALEYRA_EMULATOR_PORT'], 8788) },
    { role: 'the event receiver', variable: 'RECEIVER_PORT', port: toPort(env['RECEIVER_PORT'], 8789) },
    { role: 'the Flow data endpoint emulator', variable: 'FLOW_ENDPOINT_PORT', port: toPort(env['FLOW_ENDPOINT_PORT'], 8790) },
  ]
}

function toPort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback
  const port = Number(raw)
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : Number.NaN
}

/** Resolves true when nothing listens on host:port (by binding it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** Every problem with the ports, one sentence each saying which variable fixes it; empty when all are usable. */
export async function portProblems(needs: readonly PortNeed[]): Promise<string[]> {
  const problems: string[] = []
  const seen = new Map<number, PortNeed>()
  for (const need of needs) {
    if (Number.isNaN(need.port)) {
      problems.push(`${need.variable} must be a port number (1 to 65535) for ${need.role}`)
      continue
    }
    const other = seen.get(need.port)
    if (other) {
      problems.push(`port ${need.port} is asked for both ${other.role} (${other.variable}) and ${need.role} (${need.variable}): give them different ports`)
      continue
    }
    seen.set(need.port, need)
    if (!(await isPortFree(need.port))) {
      problems.push(
        `port ${need.port} (${need.role}) is taken, perhaps by another npm start or wrangler dev: stop it, or move this one with ${need.variable}=<free port>`,
      )
    }
  }
  return problems
}
