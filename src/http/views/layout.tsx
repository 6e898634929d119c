/** @module The pages' frame and small parts: layout, state badge, relative time with the absolute one on hover (pure JSX). */
import type { Child } from 'hono/jsx'

/** Colours meet WCAG AA (4.5:1) on their backgrounds; every state also carries a word. */
const CSS = `
:root{--fg:#1b1f24;--muted:#4a5260;--bg:#fff;--line:#d5d9e0;--ok-bg:#e3f4e8;--ok-fg:#0b5a26;--bad-bg:#fde8e6;--bad-fg:#8c1d13;--warn-bg:#fff1d6;--warn-fg:#6b3d00;--link:#0a4fc4}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:64rem;margin:0 auto;padding:1rem}
a{color:var(--link)}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.summary{font-size:1.1rem;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;font-weight:600;font-size:.9rem;border:1px solid currentColor;white-space:nowrap}
.ok{background:var(--ok-bg);color:var(--ok-fg)}
.bad{background:var(--bad-bg);color:var(--bad-fg)}
.warn{background:var(--warn-bg);color:var(--warn-fg)}
.muted{color:var(--muted)}
.alert{border-left:6px solid var(--bad-fg);background:var(--bad-bg);padding:.75rem 1rem;margin:.75rem 0;border-radius:.25rem}
.alert p{margin:.25rem 0}
ul.numbers{list-style:none;padding:0;margin:0}
ul.numbers>li{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.5rem 0}
ul.numbers>li.needs{border-left:6px solid var(--bad-fg)}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}
.phone{font-weight:600;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;word-break:break-all}
form.search{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}
input[type=search]{font:inherit;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:.25rem;min-width:12rem}
button{font:inherit;padding:.35rem .8rem;border:1px solid var(--link);background:var(--link);color:#fff;border-radius:.25rem}
nav.pages{display:flex;gap:1rem;margin:1rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ol.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}
ol.timeline li{padding:.25rem 0 .75rem 1rem}
footer{margin:2rem 0 1rem;color:var(--muted);font-size:.9rem}
.labels{display:inline-flex;gap:.35rem;flex-wrap:wrap}
a.label{font-size:.85rem;padding:0 .45rem;border:1px solid var(--line);border-radius:.25rem;text-decoration:none;color:var(--fg)}
.mute-note{background:var(--warn-bg);color:var(--warn-fg);padding:.35rem .6rem;border-radius:.25rem;margin:.35rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.strip{display:inline-flex;gap:1px;align-items:stretch;height:1.1rem;vertical-align:middle}
.mark{display:inline-block;width:5px;min-height:.8rem;border-radius:1px}
.legend .mark{width:.7rem;height:.7rem;vertical-align:middle}
.mark.ok{background:#1a7f37}.mark.failed{background:#c62828}.mark.no_key{background:#5c2d91}.mark.signature{background:#b35900}.mark.endpoint{background:#0a4fc4}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.5rem}}
`

export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{props.title}</title>
        {/* No favicon request: the worker has none, and a 404 in every browser console is noise. */}
        <link rel="icon" href="data:," />
        <style>{CSS}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  )
}

export function Badge(props: { tone: 'ok' | 'bad' | 'warn'; children: Child }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>
}

/** "5 min ago" in the page, the exact UTC time on hover and for machines. */
export function TimeAgo(props: { iso: string | null; now: number; none?: string }) {
  if (!props.iso) return <span class="muted">{props.none ?? 'never'}</span>
  return (
    <time
      datetime={props.iso}
      title={props.iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
        .replace(/Z$/, ' UTC')}
    >
      {relative(props.now, Date.parse(props.iso))}
    </time>
  )
}

export function relative(now: number, at: number): string {
  const seconds = Math.round((at - now) / 1000)
  const abs = Math.abs(seconds)
  const [value, unit] =
    abs < 90 ? [abs, 's'] : abs < 5400 ? [Math.round(abs / 60), 'min'] : abs < 172_800 ? [Math.round(abs / 3600), 'h'] : [Math.round(abs / 86_400), 'days']
  return seconds > 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`
}

export function numberPath(phone: string): string {
  return `/numbers/${encodeURIComponent(phone)}`
}
