/** @module `npm start`: the worker on local KV against a local Kaleyra pod with demo numbers and a receiver that prints events. */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startKaleyraPod } from './emulators/kaleyra-pod.js'
import { META_DEMO_ID, startDemoSources } from './start/demo-sources.js'
import { generateEndpointKey, startFlowEndpoint } from './emulators/flow-endpoint.js'
import { startReceiver } from './emulators/receiver.js'
import { portProblems, portsFromEnv } from './start/ports.js'

const DEMO_SID = 'HXDEMO00000001IN'
const DEMO_API_KEY = 'demo-api-key-not-a-secret'
const DEMO_NUMBERS = ['+919876543210', '+14155550100']
const DEMO_ENDPOINT_PATH = '/demo/flow-data'
// New on every start: only this start's worker accepts it, so readiness cannot be answered by another server on the port.
const ADMIN_TOKEN = `demo-${randomBytes(12).toString('hex')}`
// A fixed demo secret so the printed webhook signatures can be checked by hand.
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const READY_TIMEOUT_MS = 60_000

const say = (line: string): void => console.log(`[flowkey] ${line}`)

async function main(): Promise<void> {
  // Before anything is started or deleted: a taken port means another instance may be using its state.
  const needs = portsFromEnv(process.env)
  const problems = await portProblems(needs)
  if (problems.length > 0) {
    console.error(`[flowkey] npm start cannot start; nothing was started or deleted:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    process.exit(1)
  }
  const [workerPort, kaleyraPort, receiverPort, flowPort] = needs.map((n) => n.port) as [number, number, number, number]

  const pod = await startKaleyraPod({ port: kaleyraPort, pod: 'in', log: (line) => console.log(line) })
  pod.state.putAccount(DEMO_SID, DEMO_API_KEY, true)
  // The first demo number has a Flow data endpoint holding the private key of the key Kaleyra reports: a healthy pairing.
  const flow = await startFlowEndpoint({ port: flowPort })
  const endpointKey = generateEndpointKey()
  flow.put(DEMO_ENDPOINT_PATH, { privateKey: endpointKey.privateKey })
  await pod.state.putNumber({ sid: DEMO_SID, phone: DEMO_NUMBERS[0] ?? '', pem: endpointKey.publicKey })
  for (const phone of DEMO_NUMBERS.slice(1)) await pod.state.putNumber({ sid: DEMO_SID, phone })
  const receiver = await startReceiver({ port: receiverPort, webhookSecret: WEBHOOK_SECRET, log: (line) => console.log(line) })
  // One number on each other source, so the demo fleet mixes all four.
  const sources = await startDemoSources((line) => console.log(line))

  // Vars and secrets go through an env file: wrangler hides their values, as it would in production.
  // One folder per worker port: its port was free just now, so no running instance uses this state.
  const dir = join('.wrangler', 'start', String(workerPort))
  // The demo keys are new on every start: local KV starts empty too, so the first run shows first_seen, not rotations.
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const envFile = join(dir, '.env')
  const vars: Record<string, string> = {
    KALEYRA_SID: DEMO_SID,
    KALEYRA_API_KEY: DEMO_API_KEY,
    WATCH_NUMBERS: DEMO_NUMBERS.join(','),
    KALEYRA_POD: 'in',
    KALEYRA_POD_URLS: JSON.stringify({ in: pod.url }),
    ADMIN_TOKEN,
    WEBHOOK_URL: `${receiver.url}/webhook`,
    WEBHOOK_SECRET,
    SLACK_WEBHOOK_URL: `${receiver.url}/slack`,
    // The demo Flow endpoint listens on loopback.
    ALLOW_PRIVATE_ENDPOINTS: 'true',
    FLOW_ENDPOINTS: JSON.stringify({ [DEMO_NUMBERS[0] ?? '']: `${flow.url}${DEMO_ENDPOINT_PATH}` }),
    ...sources.vars,
  }
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join('\n') + '\n',
  )

  // Its own process group, so stopping flowkey stops wrangler's workerd too, however it is signalled.
  const wrangler = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(workerPort),
      '--ip',
      '127.0.0.1',
      '--env-file',
      envFile,
      '--persist-to',
      join(dir, 'state'),
      '--test-scheduled',
      '--show-interactive-dev-session=false',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  )
  const stop = async (code: number): Promise<never> => {
    if (wrangler.pid !== undefined && wrangler.exitCode === null) {
      try {
        process.kill(-wrangler.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
    }
    await Promise.all([pod.close(), receiver.close(), flow.close(), sources.close()])
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))
  wrangler.on('exit', (code) => {
    say(`wrangler dev exited (${code ?? 'signal'})`)
    void stop(code ?? 1)
  })

  const base = `http://127.0.0.1:${workerPort}`
  await waitForOwnWorker(base, wrangler)
  for (const n of sources.numbers) {
    const put = await fetch(`${base}/v1/numbers/${encodeURIComponent(n.phone)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(n.body),
    })
    await put.arrayBuffer()
  }
  const check = await fetch(`${base}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  const report = (await check.json()) as { numbers?: { phone: string; outcome: string; kid: string | null; endpoint: { outcome: string } | null }[] }
  say('first check run:')
  for (const n of report.numbers ?? []) say(`  ${n.phone}  ${n.outcome}  kid ${n.kid ?? '-'}${n.endpoint ? `  endpoint ${n.endpoint.outcome}` : ''}`)
  const first = encodeURIComponent(DEMO_NUMBERS[0] ?? '')
  console.log(`
flowkey is running on local KV, against a local Kaleyra pod with ${DEMO_NUMBERS.length} demo numbers, and a Meta, a 360dialog
and an AWS emulator with one number each (${sources.numbers.map((n) => `${n.phone} ${n.body.source}`).join(', ')}).

In another terminal, so the README's examples and npx flowkey work as pasted:
  export ADMIN_TOKEN=${ADMIN_TOKEN} FLOWKEY_URL=${base}

  Status page        ${base}/
  JWKS (all)         ${base}/.well-known/jwks.json
  One number's key   ${base}/v1/numbers/${first}/key
  Health             ${base}/healthz
  Operator status    curl -H 'authorization: Bearer ${ADMIN_TOKEN}' ${base}/v1/status
  Check now          curl -X POST -H 'authorization: Bearer ${ADMIN_TOKEN}' ${base}/v1/check
  Cron tick          curl '${base}/__scheduled?cron=*/10+*+*+*+*'

Try a rotation: the receiver below prints the signed webhook and the Slack message.
  curl -X POST ${pod.url}/_emulator/numbers/${first}/rotate
  curl -X POST -H 'authorization: Bearer ${ADMIN_TOKEN}' ${base}/v1/check

Rotate the Meta number's key (Meta's Graph API emulator), and see key.rotated with "source":"meta":
  curl -X POST ${sources.emulators.meta.url}/_emulator/numbers/${META_DEMO_ID}/rotate && curl -X POST -H 'authorization: Bearer ${ADMIN_TOKEN}' ${base}/v1/check

Break the Flow endpoint's pairing (it is redeployed with another private key), and see endpoint.key_mismatch arrive:
  curl -X PUT ${flow.url}/_flow/endpoints -d '{"path":"${DEMO_ENDPOINT_PATH}","newKey":true}'
  curl -X POST -H 'authorization: Bearer ${ADMIN_TOKEN}' ${base}/v1/numbers/${first}/probe

Kaleyra pod emulator ${pod.url}   (control API: scripts/emulators/README.md)
Flow endpoint        ${flow.url}${DEMO_ENDPOINT_PATH}   (holds the private key of ${DEMO_NUMBERS[0]}'s key)
Event receiver       ${receiver.url}   (webhook secret ${WEBHOOK_SECRET})
Ctrl-C stops everything.
`)
}

/** Ready when the worker accepts this start's own token: any other server on the port answers 401 or nothing. */
async function waitForOwnWorker(base: string, wrangler: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) throw new Error('wrangler dev exited before it was ready')
    try {
      const res = await fetch(`${base}/v1/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      await res.arrayBuffer()
      if (res.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the worker did not answer on ${base} within ${READY_TIMEOUT_MS / 1000} s`)
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`
}

main().catch((err: unknown) => {
  console.error(`[flowkey] npm start failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
