/** @module `npm run bench` still starts, runs every part, and prints its table: the bench in smoke mode (tiny durations and counts). */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// The smoke run now also times the views, fires the cron and floods: some 60 s alone, more on a busy machine.
const SMOKE_TIMEOUT_MS = 180_000

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/bench/run.ts', '--smoke'],
      { cwd: ROOT, timeout: SMOKE_TIMEOUT_MS, killSignal: 'SIGTERM', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    )
  })
}

describe('npm run bench --smoke', () => {
  it(
    'builds, serves, checks and prints one table of ratios with the targets',
    async () => {
      const { code, stdout, stderr } = await runSmoke()
      expect(code, stderr.slice(-3000)).toBe(0)
      const table = stdout.split('\n').filter((line) => line.startsWith('|'))
      expect(table[0]).toMatch(/^\| section +\| measure +\| flowkey +\| reference +\| ratio +\| target +\| result +\|$/)
      const rows = table.slice(2).map((line) => line.split('|').map((cell) => cell.trim()))
      const measures = rows.map((cells) => cells[2] ?? '')
      expect(measures.some((m) => m.startsWith('GET /v1/numbers/{phone}/jwks.json'))).toBe(true)
      expect(measures.some((m) => m.startsWith('GET /.well-known/jwks.json'))).toBe(true)
      expect(measures.some((m) => m.startsWith('same, If-None-Match (304)'))).toBe(true)
      expect(measures.some((m) => m.startsWith('naive'))).toBe(true)
      expect(measures.some((m) => m.startsWith('first run'))).toBe(true)
      expect(measures.some((m) => m.startsWith('second run'))).toBe(true)
      expect(measures.some((m) => /numbers over \d+ SIDs/.test(m))).toBe(true)
      // The mixed-source run keeps the per-invocation budgets: exact counts from the ledger, whatever the machine.
      const mixed = rows.findIndex((cells) => (cells[2] ?? '').startsWith('run of') && (cells[2] ?? '').includes('on four sources'))
      expect(mixed).toBeGreaterThanOrEqual(0)
      for (const offset of [1, 2, 3]) expect(rows[mixed + offset]?.[7], rows[mixed + offset]?.[2]).toBe('ok')
      expect(measures.some((m) => m.startsWith('run of') && m.includes('endpoint probed'))).toBe(true)
      expect(measures).toContain('workerd CPU per probe')
      expect(measures).toContain('bundle, gzip (as wrangler counts it)')
      expect(measures.some((m) => m.startsWith('GET /v1/numbers/{phone}/key'))).toBe(true)
      for (const view of ['GET / (status page) at', 'GET /healthz at', 'GET /v1/status?limit=100 at', 'GET /?q='])
        expect(
          measures.some((m) => m.startsWith(view)),
          view,
        ).toBe(true)
      expect(measures.some((m) => m.startsWith('anonymous GET / and /healthz flood'))).toBe(true)
      expect(measures.some((m) => m.startsWith('key request flood'))).toBe(true)
      // A cron firing while a run drains never has one number looked up twice at once: exact, whatever the machine.
      const pileUp = rows.find((cells) => (cells[2] ?? '').startsWith('one-minute cron fired'))
      expect(pileUp?.[3]).toBe('1')
      expect(pileUp?.[7]).toBe('ok')
      // Every ratio is a number, and the targets stand beside the figures.
      for (const cells of rows) expect(cells[5] ?? '').toMatch(/^(\d+\.\d+)?$/)
      expect(rows.filter((cells) => (cells[6] ?? '') !== '').length).toBeGreaterThanOrEqual(8)
      // What a smoke run can vouch for exactly, whatever the machine: the ledger's own counts.
      const secondWrites = rows[rows.findIndex((cells) => (cells[2] ?? '').startsWith('second run')) + 1]
      expect(secondWrites?.slice(2, 5)).toEqual(['KV writes (the publisher counted)', '1', '1 documents changed'])
      const fleetKeys = rows[rows.findIndex((cells) => /numbers over \d+ SIDs/.test(cells[2] ?? '')) + 1]
      expect(fleetKeys?.[7]).toBe('ok')
    },
    SMOKE_TIMEOUT_MS + 10_000,
  )
})
