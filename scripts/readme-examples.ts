/** @module Runs the README's marked examples against `npm start` and checks their status and fields; `--refresh` writes the real outputs back. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareOutput, cutForReadme, findExamples, replaceOutputs, type Example } from './readme/blocks.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const README = join(ROOT, 'README.md')
const START_TIMEOUT_MS = 90_000
const COMMAND_TIMEOUT_MS = 30_000
/** The ports the README is written for; a run on other ports is mapped back and forth. */
const SHOWN = { worker: 8787, kaleyra: 8788, receiver: 8789, flow: 8790 }
// curl reports each request's status on stderr, so the command's own output is exactly what a reader sees.
const PRELUDE = `curl() { command curl -w '%{stderr}__HTTP_STATUS__ %{http_code}\\n' "$@"; }\n`

interface Demo {
  env: Record<string, string>
  ports: typeof SHOWN
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** `npm start` on free ports, ready when it prints its `export ADMIN_TOKEN=... FLOWKEY_URL=...` line. */
async function startDemo(): Promise<Demo> {
  const ports = { worker: await freePort(), kaleyra: await freePort(), receiver: await freePort(), flow: await freePort() }
  const child: ChildProcess = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FLOWKEY_PORT: String(ports.worker),
      KALEYRA_EMULATOR_PORT: String(ports.kaleyra),
      RECEIVER_PORT: String(ports.receiver),
      FLOW_ENDPOINT_PORT: String(ports.flow),
    },
  })
  let output = ''
  const exported = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no export line within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-3000)}`)),
      START_TIMEOUT_MS,
    )
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /export (ADMIN_TOKEN=\S+(?: \w+=\S+)*)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Object.fromEntries((match[1] ?? '').split(' ').map((pair) => pair.split('=', 2) as [string, string])))
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm start exited (${code ?? 'signal'}):\n${output.slice(-3000)}`))
    })
  })
  return {
    env: exported,
    ports,
    // Its state folder goes with it: a check run leaves nothing behind.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) return resolve()
        child.once('exit', () => resolve())
        process.kill(-child.pid, 'SIGTERM')
      }).then(() => rmSync(join(ROOT, '.wrangler', 'start', String(ports.worker)), { recursive: true, force: true })),
  }
}

function toActualPorts(text: string, ports: typeof SHOWN): string {
  return text.replace(/(localhost|127\.0\.0\.1):(8787|8788|8789)\b/g, (_m, _host: string, port: string) => {
    const name = (Object.keys(SHOWN) as (keyof typeof SHOWN)[]).find((k) => String(SHOWN[k]) === port) ?? 'worker'
    return `127.0.0.1:${ports[name]}`
  })
}

function toShownPorts(text: string, ports: typeof SHOWN): string {
  let out = text
  for (const name of Object.keys(SHOWN) as (keyof typeof SHOWN)[]) out = out.split(`127.0.0.1:${ports[name]}`).join(`127.0.0.1:${SHOWN[name]}`)
  return out
}

interface Ran {
  stdout: string
  status: number | null
  exitCode: number | null
  stderr: string
}

function runCommand(command: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', PRELUDE + command], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: COMMAND_TIMEOUT_MS,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.once('close', (exitCode) => {
      const statuses = [...stderr.matchAll(/__HTTP_STATUS__ (\d{3})/g)].map((m) => Number(m[1]))
      resolve({ stdout, exitCode, status: statuses.at(-1) ?? null, stderr: stderr.replace(/__HTTP_STATUS__ \d{3}\n?/g, '') })
    })
  })
}

/** Runs every example in order (later ones rely on earlier ones, e.g. a rotation before a check); returns the problems found. */
export async function runExamples(
  readme: string,
  demo: { env: Record<string, string>; ports: typeof SHOWN },
  log: (line: string) => void,
): Promise<{ problems: string[]; outputs: Map<number, string> }> {
  const problems: string[] = []
  const outputs = new Map<number, string>()
  const examples: Example[] = findExamples(readme)
  if (examples.length === 0) problems.push('the README has no <!-- example --> blocks')
  for (const example of examples) {
    const ran = await runCommand(toActualPorts(example.command, demo.ports), demo.env)
    const where = `README line ${example.start + 2}: $ ${example.command}`
    const found: string[] = []
    if (ran.exitCode !== 0) found.push(`exited ${ran.exitCode ?? 'by a signal'}: ${ran.stderr.slice(0, 300)}`)
    if (example.status !== null && ran.status !== example.status) found.push(`answered ${ran.status ?? 'nothing'}, README says ${example.status}`)
    const shownOutput = toShownPorts(ran.stdout, demo.ports)
    found.push(...compareOutput(example.shown, shownOutput))
    outputs.set(example.start, cutForReadme(shownOutput))
    for (const f of found) problems.push(`${where}\n    ${f}`)
    log(`${found.length === 0 ? 'ok  ' : 'DIFF'} ${example.command}`)
  }
  return { problems, outputs }
}

async function main(): Promise<void> {
  const refresh = process.argv.includes('--refresh')
  const own = process.argv.includes('--start') || refresh
  const readme = readFileSync(README, 'utf8')
  // Against a running `npm start` (its export line pasted) unless asked to start one; a refresh always starts fresh.
  const demo: Demo = own
    ? await startDemo()
    : {
        env: { ADMIN_TOKEN: process.env['ADMIN_TOKEN'] ?? '', FLOWKEY_URL: process.env['FLOWKEY_URL'] ?? 'http://127.0.0.1:8787' },
        ports: SHOWN,
        stop: async () => {},
      }
  try {
    const { problems, outputs } = await runExamples(readme, demo, (line) => console.log(line))
    if (refresh) {
      writeFileSync(README, replaceOutputs(readme, outputs))
      console.log(`README.md: ${outputs.size} example outputs refreshed from a real run`)
      return
    }
    if (problems.length > 0) {
      console.error(`\n${problems.length} README example(s) differ from a real run (npm run readme:refresh rewrites the outputs):\n${problems.join('\n')}`)
      process.exitCode = 1
    }
  } finally {
    await demo.stop()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(`readme-examples: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  })
}
