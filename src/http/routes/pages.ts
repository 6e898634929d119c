/** @module The human status page and the OpenAPI description. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { settingsOf } from '../../ledger/settings'
import { ledgerOf } from '../../ledger/stub'
import type { AppEnv, Runtime } from '../context'
import { OPENAPI } from '../openapi'

export function pageRoutes(runtime: Runtime): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    c.header('Access-Control-Allow-Origin', '*')
    return c.json(OPENAPI)
  })

  app.get('/', async (c) => {
    const now = runtime.now()
    const status = await ledgerOf(c.env).status(settingsOf(c.env), '', 1000, now)
    const lastRun = status.last_run
    const rows = status.numbers.map((s) => {
      const n = s
      const path = `/v1/numbers/${encodeURIComponent(n.phone)}`
      const ok = s?.outcome === 'key' && s.signature_status === 'VALID'
      return html`<tr class="${ok ? 'ok' : 'bad'}">
        <td>${n.phone}</td><td><code>${s?.kid ? s.kid.slice(0, 12) + '…' : '—'}</code></td>
        <td>${s?.signature_status ?? '—'}</td><td>${s?.outcome ?? 'not checked yet'}${s?.error ? html` (${s.error.code})` : ''}</td>
        <td>${s?.pod ?? '—'}</td><td>${s.checked_at ? ago(now, s.checked_at) : '—'}</td>
        <td><a href="${path}/jwks.json">jwks</a> · <a href="${path}/key">key</a> · <a href="${path}/history">history</a></td>
      </tr>`
    })
    c.header('Cache-Control', 'no-store')
    return c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>flowkey</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}
tr.bad td:first-child{border-left:4px solid #c0392b}tr.ok td:first-child{border-left:4px solid #27ae60}
code{font-size:13px}.muted{color:#666}
</style></head><body>
<h1>flowkey</h1>
<p>WhatsApp Flows business encryption keys on Kaleyra, watched and served as JWKS.</p>
<p class="muted">${lastRun?.finished_at ? html`Last check run ${ago(now, lastRun.finished_at)}: ${lastRun.succeeded} of ${lastRun.checked} numbers answered.` : 'No check run has completed yet.'}
${c.var.problems.length ? html`<strong>Configuration problems: ${c.var.problems.map((p) => p.message).join('; ')}</strong>` : ''}</p>
<table><thead><tr><th>Number</th><th>kid</th><th>Signature</th><th>Last outcome</th><th>Pod</th><th>Checked</th><th></th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7">${c.var.problems.some((p) => p.level !== 'warning') ? 'No number is checked until the configuration problems above are fixed.' : 'No numbers are watched: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}.'}</td></tr>`}</tbody></table>
<p class="muted"><a href="/.well-known/jwks.json">/.well-known/jwks.json</a> · <a href="/healthz">/healthz</a> · <a href="/openapi.json">/openapi.json</a></p>
</body></html>`)
  })

  return app
}

function ago(now: number, iso: string): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (seconds < 90) return `${seconds} s ago`
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`
  return `${Math.round(seconds / 3600)} h ago`
}
