/** @module GET /numbers/{phone}: one number's keys, signature, endpoint, last check and history, newest first (pure JSX). */
import { Badge, Layout, TimeAgo } from './layout'
import type { NumberView } from './fleet'
import type { KeyView, NumberPageView } from './number-page-view'
import { adviceFor, belowThreshold, errorInWords, signatureInWords } from './wording'
import { LabelTags, MutedNote } from './number-tags'
import { CheckStrip, StripLegend } from './check-strip'

const EVENT_WORDS: Record<string, string> = {
  'key.first_seen': 'Key seen for the first time',
  'key.rotated': 'Key rotated',
  'key.removed': 'Key removed from Kaleyra',
  'key.signature_invalid': 'Signature no longer valid',
  'key.signature_restored': 'Signature valid again',
  'check.failing': 'Checks started failing',
  'check.recovered': 'Checks recovered',
  'endpoint.key_mismatch': 'Endpoint cannot decrypt with the registered key',
  'endpoint.failing': 'Endpoint health check failing',
  'endpoint.restored': 'Endpoint healthy again',
  'number.muted': 'Muted',
  'number.unmuted': 'Mute ended',
}

export function buildNumberPage(view: NumberPageView) {
  const { number: n, now } = view
  const base = `/v1/numbers/${encodeURIComponent(view.phone)}`
  const reasons = n?.attention ?? []
  const note = n ? belowThreshold(n) : null
  return (
    <Layout title={`flowkey: ${view.phone}`}>
      <p>
        <a href="/">← All numbers</a>
      </p>
      <h1>{view.phone}</h1>
      <p class="summary">
        {!view.watched ? (
          <Badge tone="warn">Not watched</Badge>
        ) : n?.muted ? (
          <Badge tone="warn">Muted</Badge>
        ) : reasons.length === 0 ? (
          note ? (
            <Badge tone="warn">Failed, not alerted yet</Badge>
          ) : n?.checked_at ? (
            <Badge tone="ok">Healthy</Badge>
          ) : (
            <Badge tone="warn">Not checked yet</Badge>
          )
        ) : (
          reasons.map((r) => <Badge tone="bad">{n ? adviceFor(r, n).label : r}</Badge>)
        )}
        <span>
          {!view.watched
            ? 'flowkey no longer watches this number; its keys and history are kept.'
            : reasons.length === 0
              ? (note ?? 'Nothing to do for this number.')
              : `${reasons.length} problem${reasons.length === 1 ? '' : 's'} to fix.`}
        </span>
        {n ? <LabelTags labels={n.labels} /> : null}
      </p>
      {n ? <MutedNote muted={n.muted} now={now} /> : null}
      {n && n.checks.length > 0 ? (
        <>
          <h2>Recent checks</h2>
          <p>
            <CheckStrip checks={n.checks} />
          </p>
          <StripLegend />
        </>
      ) : null}
      {n &&
        reasons.map((r) => {
          const a = adviceFor(r, n)
          return (
            <section class="alert">
              <p>
                <strong>{a.label}.</strong> {a.what}
              </p>
              <p>
                <strong>What to do:</strong> {a.todo}
              </p>
            </section>
          )
        })}

      <h2>Key</h2>
      <dl class="facts">
        <dt>Current kid</dt>
        <dd>{view.current ? <code>{view.current.kid}</code> : <span class="muted">none</span>}</dd>
        <dt>Signature status</dt>
        <dd>{view.current ? <SignatureBadge status={n?.signature_status ?? view.current.signature_status} /> : <span class="muted">no key</span>}</dd>
        <dt>First seen</dt>
        <dd>
          <TimeAgo iso={view.current?.first_seen_at ?? null} now={now} none="never" />
        </dd>
        <dt>SPKI SHA-256</dt>
        <dd>{view.current ? <code>{view.current.spki_sha256}</code> : <span class="muted">none</span>}</dd>
        <dt>Previous kid</dt>
        <dd>{previousKid(view.previous)}</dd>
      </dl>
      <p>
        <a href={`${base}/jwks.json`}>JWKS</a> · <a href={`${base}/key`}>Key (JSON)</a> · <a href={`${base}/key?format=pem`}>PEM</a> ·{' '}
        <a href={`${base}/history`}>History (JSON)</a>
      </p>

      <h2>Last check</h2>
      <dl class="facts">
        <dt>Checked</dt>
        <dd>
          <TimeAgo iso={n?.checked_at ?? null} now={now} none="not yet" />
        </dd>
        <dt>Result</dt>
        <dd>{checkResult(view)}</dd>
        <dt>Key source</dt>
        <dd>{n?.source ?? <span class="muted">not known yet</span>}</dd>
        {n?.pod ? (
          <>
            <dt>Kaleyra pod</dt>
            <dd>{n.pod}</dd>
          </>
        ) : null}
      </dl>

      <h2>Flow endpoint</h2>
      {n?.endpoint ? (
        <dl class="facts">
          <dt>Last probe</dt>
          <dd>
            <TimeAgo iso={n.endpoint.probed_at} now={now} none="not yet" />
          </dd>
          <dt>Outcome</dt>
          <dd>
            {n.endpoint.outcome === 'ok' ? (
              <Badge tone="ok">Decrypts the probe</Badge>
            ) : n.endpoint.outcome ? (
              <Badge tone={n.endpoint.outcome === 'signature_rejected' ? 'warn' : 'bad'}>{ENDPOINT_OUTCOME[n.endpoint.outcome]}</Badge>
            ) : (
              <span class="muted">not probed yet</span>
            )}
            {n.endpoint.http_status ? ` (HTTP ${n.endpoint.http_status})` : ''}
          </dd>
          <dt>Answered in</dt>
          <dd>{n.endpoint.latency_ms === null ? <span class="muted">no answer</span> : `${n.endpoint.latency_ms} ms`}</dd>
        </dl>
      ) : (
        <p class="muted">Not configured: flowkey does not probe a Flow endpoint for this number.</p>
      )}

      <h2>History</h2>
      {view.history.length === 0 ? (
        <p class="muted">Nothing has happened to this number yet.</p>
      ) : (
        <ol class="timeline">
          {view.history.map((e) => (
            <li>
              <strong>{EVENT_WORDS[e.type] ?? e.type}</strong> · <TimeAgo iso={e.timestamp} now={now} />
              <br />
              <span class="muted">
                {e.kid ? (
                  <>
                    kid <code>{e.kid.slice(0, 16)}…</code>
                  </>
                ) : null}
                {e.previous_kid ? (
                  <>
                    {' '}
                    (was <code>{e.previous_kid.slice(0, 16)}…</code>)
                  </>
                ) : null}
                {e.signature_status ? ` · signature ${signatureInWords(e.signature_status)}` : ''}
                {e.error_code ? ` · ${errorInWords(e.error_code)}` : ''}
                {e.mute ? muteInWords(e.mute) : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  )
}

function SignatureBadge(props: { status: string | null }) {
  if (props.status === 'VALID') return <Badge tone="ok">VALID</Badge>
  return <Badge tone="bad">{signatureInWords(props.status)} (not valid)</Badge>
}

/** Each probe outcome in words (INTERFACE.md, the endpoint probe). */
const ENDPOINT_OUTCOME: Record<NonNullable<NonNullable<NumberView['endpoint']>['outcome']>, string> = {
  ok: 'Decrypts the probe',
  key_mismatch: 'Cannot decrypt with the registered key',
  signature_rejected: 'Rejects the probe’s signature',
  bad_response: 'Answer does not decrypt',
  http_error: 'Answers with an HTTP error',
  unreachable: 'Unreachable',
}

function previousKid(key: KeyView | null) {
  return key ? <code>{key.kid}</code> : <span class="muted">none (the key has not rotated)</span>
}

function checkResult(view: NumberPageView) {
  const n = view.number
  if (!n || !n.outcome) return <span class="muted">not checked yet</span>
  if (n.outcome === 'key') return <Badge tone="ok">Kaleyra returned the key</Badge>
  if (n.outcome === 'no_key') return <Badge tone="bad">Kaleyra holds no key</Badge>
  return (
    <>
      <Badge tone="bad">Failed</Badge> {errorInWords(n.error_code)} ({n.consecutive_failures} in a row)
    </>
  )
}

/** A history note: who muted cannot be known (one operator token), so the reason and the time stand for it. */
function muteInWords(mute: NonNullable<NumberPageView['history'][number]['mute']>): string {
  const why = mute.reason ? ` (${mute.reason})` : ''
  if (mute.ended === null) return `until ${mute.until.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}${why}`
  return mute.ended === 'expired' ? `its time ran out${why}` : `ended by an operator${why}`
}
