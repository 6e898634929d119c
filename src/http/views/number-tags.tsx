/** @module A number's labels and its mute, as the status page and the number page show them (pure JSX). */
import { TimeAgo } from './layout'

export function LabelTags(props: { labels: readonly string[] }) {
  if (props.labels.length === 0) return null
  return (
    <span class="labels">
      <span class="visually-hidden">Labels: </span>
      {props.labels.map((label) => (
        <a class="label" href={`/?${new URLSearchParams({ label })}`}>
          {label}
        </a>
      ))}
    </span>
  )
}

/** `?label=`: which customer's numbers the page shows, how many, and the way back to all. */
export function LabelFilter(props: { label: string; count: number }) {
  if (!props.label) return null
  return (
    <p class="label-filter">
      Label <strong>{props.label}</strong>: {props.count} number{props.count === 1 ? '' : 's'}. <a href="/">Show all numbers</a>
    </p>
  )
}

/** "Muted until … (reason)": checked and recorded as usual, nothing sent until then. */
export function MutedNote(props: { muted: { until: string; reason: string } | null; now: number }) {
  if (!props.muted) return null
  return (
    <p class="mute-note">
      <strong>Muted</strong> until <TimeAgo iso={props.muted.until} now={props.now} />
      {props.muted.reason ? ` (${props.muted.reason})` : ''}: still checked and recorded; no notification is sent until the mute ends, then its current problem
      is sent once.
    </p>
  )
}
