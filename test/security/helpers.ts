/** @module Shared by the security tests: visit every route a person or a machine can reach, and snapshot what the public is served. */
import { expect } from 'vitest'
import type { Env } from '../../src/env'
import type { SecretSweep } from '../support/secret-sweep'
import { operator, request, bodyText } from '../support/worker'

export const MINUTE = 60_000

/** Every route, public and operator, for the given numbers: each response goes into the sweep. */
export async function visitAll(env: Env, sweep: SecretSweep, phones: readonly string[]): Promise<void> {
  const paths = ['/', '/healthz', '/healthz?strict=1', '/.well-known/jwks.json', '/openapi.json']
  for (const phone of phones) {
    for (const route of ['key', 'jwks.json', 'history']) paths.push(`/v1/numbers/${encodeURIComponent(phone)}/${route}`)
  }
  for (const path of paths) {
    await sweep.response(`GET ${path}`, await request(env, path))
    await sweep.response(`GET ${path} (operator)`, await request(env, path, operator()))
  }
  for (const path of ['/v1/status', '/v1/numbers']) await sweep.response(`GET ${path} (operator)`, await request(env, path, operator()))
}

/** What the public is served for these numbers, byte for byte: a fault must leave it exactly as it was. */
export async function servedKeys(env: Env, phones: readonly string[], withFleet = true): Promise<string[]> {
  const out: string[] = []
  if (withFleet) {
    const fleet = await request(env, '/.well-known/jwks.json')
    expect(fleet.status).toBe(200)
    out.push(await fleet.text())
  }
  for (const phone of phones) {
    for (const route of ['jwks.json', 'key']) {
      const res = await request(
        env,
        `/v1/numbers/${encodeURIComponent(phone)}/${route}`,
        route === 'key' ? { headers: { accept: 'application/x-pem-file' } } : {},
      )
      expect(res.status, `${route} of ${phone}`).toBe(200)
      out.push(await bodyText(res))
    }
  }
  return out
}
