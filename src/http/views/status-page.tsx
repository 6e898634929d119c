/** @module GET /: one sentence and a badge, what needs doing, then one page of numbers as the ledger ranks them (problems first), with search (pure JSX). */
import { Badge, Layout, TimeAgo, numberPath } from './layout'
import type { FleetView, NumberView } from './fleet'
import { adviceFor, belowThreshold, channelAdvice } from './wording'
import { channelTitle } from './wording'
import { LabelFilter, LabelTags, MutedNote } from './number-tags'
import { CheckStrip, StripLegend } from './check-strip'

/** A page never lists more than this many numbers: large fleets page or search. */
export const PAGE_SIZE = 50

export interface StatusPageQuery {
  /** The digits searched for (already only digits), if any. */
  q?: string
  /** Where this page starts; absent on the first. */
  cursor?: string
  /** One customer's numbers only (`?label=`). */
  label?: string
}

export function buildStatusPage(view: FleetView, query: StatusPageQuery) {
  // The counts are the ledger's, over the whole fleet: the same as /healthz's `fleet`.
  const needing = view.fleet.attention
  const watched = view.fleet.numbers
  const needingChannels = view.fleet.channels
  const channelProblems = view.channels.flatMap((ch) => {
    const advice = channelAdvice(ch)
    return advice ? [advice] : []
  })
  // A config error (KALEYRA_SID missing, say) can empty the watch list: then the fix is the config, not WATCH_NUMBERS.
  const blocked = view.problems.some((p) => p.level !== 'warning')
  const healthy = needing === 0 && needingChannels.length === 0 && view.problems.length === 0
  const digits = query.q ?? ''
  const label = query.label ?? ''
  // The ledger searched and ranked; the page renders the one page it read.
  const shown = view.numbers
  const link = (cursor: string | null): string => {
    const params = new URLSearchParams({ ...(label ? { label } : {}), ...(digits ? { q: digits } : {}), ...(cursor ? { cursor } : {}) }).toString()
    return params ? `/?${params}` : '/'
  }

  return (
    <Layout title={healthy ? 'flowkey: all healthy' : `flowkey: ${needing} need attention`}>
      <h1>flowkey</h1>
      <LabelFilter label={label} count={watched} />
      <p class="summary">
        {healthy ? <Badge tone="ok">All healthy</Badge> : <Badge tone="bad">{needing > 0 ? `${needing} need attention` : 'Needs attention'}</Badge>}
        <span>
          {watched === 0
            ? blocked
              ? 'No number is checked until the configuration problems below are fixed.'
              : 'No numbers are watched yet.'
            : healthy
              ? `None of the ${watched} watched number${plural(watched)} needs attention.`
              : `${needing} of ${watched} watched number${plural(watched)} need${needing === 1 ? 's' : ''} attention${needingChannels.length ? `, and ${needingChannels.length} notification channel${plural(needingChannels.length)} ${needingChannels.length === 1 ? 'does' : 'do'}` : ''}.`}
        </span>
      </p>
      <p>
        Last complete check run: <TimeAgo iso={view.last_run?.finished_at ?? null} now={view.now} none="none yet" />
        {view.last_run ? ` (${view.last_run.succeeded} of ${view.last_run.checked} answered)` : ''}. Next run:{' '}
        <TimeAgo iso={view.next_run_at} now={view.now} none="at the next cron trigger" />.
      </p>

      {view.problems.length > 0 && (
        <section class="alert" aria-labelledby="config-problems">
          <h2 id="config-problems">Configuration problems</h2>
          {view.problems.map((p) => (
            <p>
              <strong>{p.name}:</strong> {p.message}
            </p>
          ))}
          <p>Fix these settings (wrangler vars or secrets) and deploy again; until then some numbers are not checked.</p>
        </section>
      )}
      {channelProblems.length > 0 && (
        <section class="alert" aria-labelledby="channel-problems">
          <h2 id="channel-problems">Notifications</h2>
          {channelProblems.map((a) => (
            <p>
              <strong>{a.label}.</strong> {a.what} {a.todo}
            </p>
          ))}
        </section>
      )}

      <h2 id="numbers">Numbers</h2>
      {watched > PAGE_SIZE || digits ? (
        <form class="search" method="get" action="/" role="search">
          <label for="q">Find a number</label>
          <input id="q" name="q" type="search" inputmode="tel" value={digits} placeholder="digits, e.g. 98765" />
          {label ? <input type="hidden" name="label" value={label} /> : null}
          <button type="submit">Search</button>
        </form>
      ) : null}
      {shown.length === 0 ? (
        <p>
          {digits
            ? `No watched number contains ${digits}.`
            : label
              ? `No watched number carries the label ${label}.`
              : blocked
                ? 'Fix the configuration problems above first: until then no number is watched or checked.'
                : 'Nothing to show: set WATCH_NUMBERS or add numbers with PUT /v1/numbers/{phone}.'}
        </p>
      ) : null}
      {shown.some((n) => n.checks.length > 0) ? <StripLegend /> : null}
      <ul class="numbers" aria-labelledby="numbers">
        {shown.map((n) => (
          <NumberItem n={n} now={view.now} />
        ))}
      </ul>
      {query.cursor || view.next_cursor ? (
        <nav class="pages" aria-label="Pages">
          {query.cursor ? <a href={link(null)}>← First page</a> : null}
          <span>
            {shown.length} {digits ? 'matching ' : ''}numbers here{digits ? '' : ` of ${watched}`}, problems first
          </span>
          {view.next_cursor ? <a href={link(view.next_cursor)}>Next →</a> : null}
        </nav>
      ) : null}
      <footer>
        <a href="/.well-known/jwks.json">All keys (JWKS)</a> · <a href="/healthz">Health</a> · <a href="/openapi.json">API description (OpenAPI)</a> ·{' '}
        {view.channels.map((ch) => `${channelTitle(ch.name)} ${ch.configured ? 'on' : 'off'}`).join(', ')}
      </footer>
    </Layout>
  )
}

function NumberItem(props: { n: NumberView; now: number }) {
  const { n, now } = props
  const reasons = n.attention
  const note = belowThreshold(n)
  return (
    <li class={reasons.length ? 'needs' : ''}>
      <div class="row">
        <a class="phone" href={numberPath(n.phone)}>
          {n.phone}
        </a>
        {n.muted ? (
          <Badge tone="warn">Muted</Badge>
        ) : reasons.length === 0 ? (
          note ? (
            <Badge tone="warn">Failed, not alerted yet</Badge>
          ) : n.checked_at ? (
            <Badge tone="ok">Healthy</Badge>
          ) : (
            <Badge tone="warn">Not checked yet</Badge>
          )
        ) : (
          reasons.map((r) => <Badge tone="bad">{adviceFor(r, n).label}</Badge>)
        )}
        <span class="muted">
          Checked <TimeAgo iso={n.checked_at} now={now} none="never" />
        </span>
        <LabelTags labels={n.labels} />
        <CheckStrip checks={n.checks} />
      </div>
      <MutedNote muted={n.muted} now={now} />
      {reasons.map((r) => {
        const advice = adviceFor(r, n)
        return (
          <p>
            {advice.what} <strong>What to do:</strong> {advice.todo}
          </p>
        )
      })}
      {note && reasons.length === 0 ? <p>{note}</p> : null}
    </li>
  )
}

function plural(count: number): string {
  return count === 1 ? '' : 's'
}
