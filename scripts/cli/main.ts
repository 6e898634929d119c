/** @module `npx flowkey`: the commands people script, on the operator API (FLOWKEY_URL, ADMIN_TOKEN). */
import { parseArgs } from 'node:util'
import { CliError, DEFAULT_URL, type ApiOptions } from './api.js'
import { fmt, importNumbers } from './import-numbers.js'
import { muteNumber, unmuteNumber } from './mute.js'
import { fetchStatus, summarizeStatus } from './status.js'
import { verifyEndpointKey } from './verify-endpoint-key.js'

const USAGE = `usage:
  flowkey numbers import <file.csv>                 add or change numbers (a header naming the columns in any order: phone,source,sid,pod,account,phone_number_id,region,endpoint_url,labels;
                                                    labels separated by |, e.g. acme|eu) through POST /v1/numbers
  flowkey status [--label <label>]                  what needs attention, and what is muted, from GET /v1/status (exit 1 when something needs attention);
                                                    --label: one customer's numbers and the channels they notify
  flowkey mute <phone> --until <30m|2h|7d|ISO time> [--reason <text>]
                                                    hold the number's notifications until then (at most 30 days): still checked and recorded, nothing sent
  flowkey unmute <phone>                            end the mute now; a problem the number still has is sent once
  flowkey verify-endpoint-key <private.pem> --phone <+91...>
                                                    does this Flow endpoint private key match the key flowkey serves? (exit 1 when not)
options:
  --url <url>      flowkey's base URL (env FLOWKEY_URL, default ${DEFAULT_URL})
  --token <token>  operator token (env ADMIN_TOKEN)
env:
  FLOWKEY_KEY_PASSPHRASE   passphrase of an encrypted private key (verify-endpoint-key; never sent anywhere)`

export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (e) {
    err(`flowkey: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help || positionals.length === 0) {
    ;(values.help ? out : err)(USAGE)
    return values.help ? 0 : 2
  }
  const api: ApiOptions = { url: values.url ?? env['FLOWKEY_URL'] ?? DEFAULT_URL, token: values.token ?? env['ADMIN_TOKEN'] ?? null }
  const [command, ...rest] = positionals
  try {
    if (command === 'numbers' && rest[0] === 'import' && rest.length === 2) {
      const result = await importNumbers(api, rest[1] ?? '', err)
      out(
        `${fmt(result.entries)} numbers imported in ${result.requests} request(s): ${fmt(result.added)} added, ${fmt(result.changed)} changed, ${fmt(result.unchanged)} unchanged.`,
      )
      return 0
    }
    if (command === 'status' && rest.length === 0) {
      // A label no number carries is an empty view, as the worker has it: the summary says so.
      const label = values.label ?? null
      const summary = summarizeStatus(await fetchStatus(api, label), Date.now(), label)
      for (const line of summary.lines) out(line)
      return summary.attention > 0 ? 1 : 0
    }
    if (command === 'mute' && rest.length === 1) {
      if (values.until === undefined) throw new CliError('--until is required: a duration from now (30m, 2h, 7d) or an ISO time (2026-12-24T18:00:00Z)', 2)
      out(await muteNumber(api, rest[0] ?? '', values.until, values.reason, Date.now()))
      return 0
    }
    if (command === 'unmute' && rest.length === 1) {
      out(await unmuteNumber(api, rest[0] ?? ''))
      return 0
    }
    if (command === 'verify-endpoint-key' && rest.length === 1) {
      if (!values.phone) throw new CliError('--phone <+91...> is required: the number whose served key to compare with', 2)
      const verdict = await verifyEndpointKey(api, rest[0] ?? '', values.phone, env['FLOWKEY_KEY_PASSPHRASE'])
      for (const line of verdict.lines) out(line)
      return verdict.match ? 0 : 1
    }
    err(`flowkey: unknown command "${positionals.join(' ')}"\n${USAGE}`)
    return 2
  } catch (e) {
    if (e instanceof CliError) {
      err(`flowkey: ${e.message}`)
      return e.exitCode
    }
    throw e
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      phone: { type: 'string' },
      label: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

process.exitCode = await run(
  process.argv.slice(2),
  process.env,
  (line) => console.log(line),
  (line) => console.error(line),
)
