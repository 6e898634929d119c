/** @module The Flow endpoint emulator behaves as Meta's example endpoint: 400 on a body that is not the protocol's, 421 when RSA fails, 500 when AES fails, 432 on a bad signature; its control API refuses bad settings. */
import { expect, it } from 'vitest'
import { encryptPing, importBusinessPublicKey } from '../../src/probe/flow-crypto'
import { flowEndpointUrl, FlowEndpoints } from '../support/flow-endpoint'

const endpoints = new FlowEndpoints('/t/emu-flow-test')

const post = (name: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(endpoints.url(name), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

it("answers a body that is not the protocol's 400, a GET 405, an unknown path 404, and records them all", async () => {
  await endpoints.reset()
  await endpoints.put('plain', {})
  expect((await post('plain', 'not json')).status).toBe(400)
  expect((await post('plain', '{"encrypted_aes_key":"AA=="}')).status).toBe(400)
  expect((await fetch(endpoints.url('plain'))).status).toBe(405)
  expect((await post('missing', '{}')).status).toBe(404)
  expect((await endpoints.calls()).map((c) => c.status)).toEqual([400, 400, 405, 404])
})

it('421 when the AES key was wrapped for another key; 500 when the flow data was tampered with', async () => {
  await endpoints.reset()
  const { publicKey } = await endpoints.put('keyed', {})
  const ping = await encryptPing(await importBusinessPublicKey(publicKey))
  const body = JSON.parse(ping.body) as Record<string, string>
  expect((await post('keyed', ping.body)).status).toBe(200)
  const other = await endpoints.put('other', {})
  expect(other.publicKey).not.toBe(publicKey)
  expect((await post('other', ping.body)).status).toBe(421)
  const tampered = { ...body, encrypted_flow_data: `${body.encrypted_flow_data.slice(0, -6)}AAAA==` }
  expect((await post('keyed', JSON.stringify(tampered))).status).toBe(500)
})

it('with an app secret, 432 unless X-Hub-Signature-256 matches, before any decryption', async () => {
  await endpoints.reset()
  await endpoints.put('signed', { appSecret: 'emu-secret' })
  expect((await post('signed', '{}')).status).toBe(432)
  expect((await post('signed', '{}', { 'x-hub-signature-256': 'sha256=00' })).status).toBe(432)
  expect((await endpoints.calls('signed')).map((c) => [c.signature, c.decryptError])).toEqual([
    ['absent', null],
    ['invalid', null],
  ])
})

it('refuses bad settings', async () => {
  for (const body of [
    { path: 'no-slash' },
    { path: '/t/emu-flow-test/x', mode: 'explode' },
    { path: '/t/emu-flow-test/x', privateKey: 'not a pem' },
    { path: '/t/emu-flow-test/x', latencyMs: -1 },
  ]) {
    const res = await fetch(`${flowEndpointUrl()}/_flow/endpoints`, { method: 'PUT', body: JSON.stringify(body) })
    expect(res.status, JSON.stringify(body)).toBe(400)
  }
})
