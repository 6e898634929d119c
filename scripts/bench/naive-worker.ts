/** @module The worker a user writes first: read the stored PEM from KV and convert it with jose on every request. Shown beside flowkey, not targeted. */
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose'

/** Only what this worker uses of its KV binding (the scripts are type-checked with Node's types, not the Workers ones). */
interface Env {
  KEYS: { get(key: string): Promise<string | null> }
}

export default {
  /** `GET /v1/numbers/{phone}/jwks.json`, reading the PEM from the `doc:<phone>` document flowkey's ledger wrote. */
  async fetch(request: Request, env: Env): Promise<Response> {
    const phone = decodeURIComponent(new URL(request.url).pathname.split('/')[3] ?? '')
    const record = await env.KEYS.get(`doc:${phone}`)
    const pem = record ? (JSON.parse(record) as { key?: { pem?: string } | null }).key?.pem : undefined
    if (!pem) return Response.json({ error: 'no key' }, { status: 404 })
    const jwk = await exportJWK(await importSPKI(pem, 'RSA-OAEP-256', { extractable: true }))
    const kid = await calculateJwkThumbprint(jwk, 'sha256')
    const body = JSON.stringify({ keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RSA-OAEP-256', use: 'enc', kid }] })
    return new Response(body, { headers: { 'content-type': 'application/jwk-set+json; charset=utf-8', 'access-control-allow-origin': '*' } })
  },
}
