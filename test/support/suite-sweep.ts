/** @module The suite-wide sweep: every test's responses (through support/worker.ts) and log lines, searched for every secret its env held. */
import { afterEach, beforeEach, expect } from 'vitest'
import type { Env } from '../../src/env'
import { SecretSweep } from './secret-sweep'

/** One per test file (each file has its own module instance inside workerd). */
export const suiteSweep = new SecretSweep()

const SECRET_NAMES =
  /^(KALEYRA_API_KEY(_.+)?|SLACK_WEBHOOK_URL(_.+)?|WEBHOOK_SECRET(_.+)?|ADMIN_TOKEN|META_APP_SECRET(_.+)?|META_ACCESS_TOKEN(_.+)?|D360_API_KEY(_.+)?|AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)(_.+)?)$/

/** Called by testEnv: every secret a test configures is one the suite must never show. */
export function registerSecrets(env: Partial<Env>): void {
  const values: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAMES.test(name) && typeof value === 'string' && value.trim()) {
      values.push(value.trim())
      // The webhook secret's base64 body is the key itself.
      if (name.startsWith('WEBHOOK_SECRET') && value.startsWith('whsec_')) values.push(value.slice('whsec_'.length))
    }
  }
  // An endpoint's query string may carry its token: never shown anywhere (INTERFACE.md, issue 9).
  values.push(...endpointQueryValues(env.FLOW_ENDPOINTS))
  suiteSweep.addSecrets(values)
}

function endpointQueryValues(raw: string | undefined): string[] {
  let endpoints: unknown
  try {
    endpoints = JSON.parse(raw ?? '{}')
  } catch {
    return []
  }
  if (!endpoints || typeof endpoints !== 'object') return []
  const values: string[] = []
  for (const url of Object.values(endpoints)) {
    if (typeof url !== 'string') continue
    try {
      for (const value of new URL(url).searchParams.values()) if (value.length >= 8) values.push(value)
    } catch {
      // Not a URL: the config reports it.
    }
  }
  return values
}

const LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const

/** Log lines are read on their way out, and still printed as before (vitest.config.ts filters them). */
beforeEach(() => {
  suiteSweep.clear()
  const originals = LEVELS.map((level) => [level, console[level]] as const)
  for (const [level, original] of originals) {
    console[level] = (...args: unknown[]) => {
      suiteSweep.add(`console.${level}`, args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
      original.apply(console, args)
    }
  }
  return () => {
    for (const [level, original] of originals) console[level] = original
  }
})

afterEach(() => {
  expect(suiteSweep.leaks(), 'a secret reached a response or a log line').toEqual([])
})
