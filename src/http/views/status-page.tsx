/** @module GET /: one sentence and a badge, what needs doing, then the numbers, problems first, paged and searchable (pure JSX). */
import { Badge, Layout, TimeAgo, numberPath } from './layout'
import { byAttention, type FleetView, type NumberView } from './fleet'
import { adviceFor, belowThreshold, channelAdvice } from './wording'
import { channelTitle } from './wording'
import { LabelFilter, LabelTags, MutedNote } from './number-tags'
import { CheckStrip, StripLegend } from './check-strip'

/** A page never lists more than this many numbers: large fleets page or search. */
export const PAGE_SIZE = 50

export interface StatusPageQuery {
  q?: string
  page: number
  /** One customer's numbers only (`?label=`). */
  label?: string
}

/** The numbers one page of the page shows (search, problems first, PAGE_SIZE at a time): the handler reads their strips, and only theirs. */
export function pageOfView(view: Pick<FleetView, 'numbers'>, query: StatusPageQuery) {
  const digits = (query.q ?? '').replace(/\D/g, '')
  const matching = byAttention(digits ? view.numbers.filter((n) => n.phone.includes(digits)) : view.numbers)
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE))
  const page = Math.min(query.page, pages)
  return { digits, matching, pages, page, shown: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) }
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
  const { digits, matching, pages, page, shown } = pageOfView(view, query)
  const label = query.label ?? ''
  const link = (p: number): string => `/?${new URLSearchParams({ ...(label ? { label } : {}), ...(digits ? { q: digits } : {}), page: String(p) })}`

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
      {view.numbers.length > PAGE_SIZE || digits ? (
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
      {pages > 1 && (
        <nav class="pages" aria-label="Pages">
          {page > 1 ? <a href={link(page - 1)}>← Previous</a> : null}
          <span>
            Page {page} of {pages} ({matching.length} numbers)
          </span>
          {page < pages ? <a href={link(page + 1)}>Next →</a> : null}
        </nav>
      )}
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
