/** @module The README's examples cannot drift: each runs against a fresh `npm start` and must answer with the status and fields shown. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compareOutput, cutForReadme, findExamples, replaceOutputs } from '../../scripts/readme/blocks.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN_TIMEOUT_MS = 120_000
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

describe('README', () => {
  it('starts with the two commands: install and start, install and test', () => {
    const firstBlock = /```sh\n([^`]*)```/.exec(README)?.[1] ?? ''
    expect(README.indexOf('```sh')).toBeLessThan(README.indexOf('\n\n', README.indexOf('# flowkey') + 10) + 2)
    expect(
      firstBlock
        .split('\n')
        .map((l) => l.split('#')[0]?.trim())
        .filter(Boolean),
    ).toEqual(['npm ci && npm start', 'npm ci && npm test'])
  })

  it(
    'every marked example answers as shown when run against npm start',
    async () => {
      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          join(ROOT, 'node_modules', '.bin', 'tsx'),
          ['scripts/readme-examples.ts', '--start'],
          { cwd: ROOT, timeout: RUN_TIMEOUT_MS },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        )
      })
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      const lines = run.stdout.trim().split('\n')
      expect(lines).toHaveLength(findExamples(README).length)
      expect(lines.every((l) => l.startsWith('ok '))).toBe(true)
      expect(lines.some((l) => l.includes('$ADMIN_TOKEN'))).toBe(true)
    },
    RUN_TIMEOUT_MS + 10_000,
  )
})

describe('README and docs agree', () => {
  it('pass the whole whsec_ secret to the standardwebhooks library, as the receiver of npm start does', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'notifications.md'), 'utf8')
    const receiver = readFileSync(join(ROOT, 'scripts', 'emulators', 'receiver.ts'), 'utf8')
    for (const text of [README, docs]) {
      expect(text).toContain('new Webhook(process.env.WEBHOOK_SECRET)')
      expect(text).not.toMatch(/WEBHOOK_SECRET\.slice|slice\('whsec_'/)
    }
    expect(receiver).toContain('new Webhook(secret)')
  })

  it('link the connect guide from the README', () => {
    expect(README).toContain('[docs/connect.md](docs/connect.md)')
  })
})

describe('README example checks', () => {
  it('notice a field added, a field gone, another error code and another status line', () => {
    expect(compareOutput('{"ok":true,"a":{"b":1}}', '{"ok":true,"a":{"b":1}}')).toEqual([])
    expect(compareOutput('{"ok":true}', '{"ok":true,"deferred":0}')).toEqual(['fields the answer has but the README does not show: deferred'])
    expect(compareOutput('{"ok":true,"gone":1}', '{"ok":true}')).toEqual(['fields the README shows but the answer lacks: gone'])
    expect(compareOutput('{"error":{"code":"no_key","message":"x"}}', '{"error":{"code":"unknown_number","message":"x"}}')).toEqual([
      'error code unknown_number, README shows no_key',
    ])
    expect(compareOutput('HTTP/1.1 200 OK\nETag: "x"\n\n{}', 'HTTP/1.1 304 Not Modified\n\n{}')).toEqual([
      'status line "HTTP/1.1 304 Not Modified", README shows "HTTP/1.1 200 OK"',
      'header etag is missing',
    ])
    expect(compareOutput('Last check run 1 s ago.\nfine', 'Last check run 12 s ago.\nfine')).toEqual([])
  })

  it('cut long values so the shown JSON stays JSON, and refresh only the outputs', () => {
    const cut = cutForReadme(JSON.stringify({ n: 'x'.repeat(300), kid: 'k'.repeat(43) }))
    expect(JSON.parse(cut)).toEqual({ n: `${'x'.repeat(40)}…`, kid: 'k'.repeat(43) })
    const readme = 'intro\n<!-- example status=200 -->\n```text\n$ curl -s x\nold\n```\nafter'
    const [example] = findExamples(readme)
    expect(example).toMatchObject({ command: 'curl -s x', status: 200, shown: 'old' })
    expect(replaceOutputs(readme, new Map([[example?.start ?? -1, 'new\nlines']]))).toBe(
      'intro\n<!-- example status=200 -->\n```text\n$ curl -s x\nnew\nlines\n```\nafter',
    )
  })
})
