/** @module The channels as senders (the defaults and each label's): how due events group into messages, and how a message goes out. */
import type { Config } from '../config'
import type { Secret } from '../secret'
import type { Redact } from '../secrets/redact'
import { NO_EVENT_FIELDS, eventPayload } from './events'
import type { ChannelName, OutboxEntry } from './outbox'
import { channelSetting } from './routing'
import { postOnce, type AttemptOutcome, type PostIo } from './send'
import { eventMessage, pingMessage, summaryMessage, type SlackMessage } from './slack'
import { importWebhookKey, signedRequest, type WebhookBody, type WebhookSigner } from './webhook'

/** Slack takes about one message a second per webhook: a run sends at most this many, else one summary of them all. */
export const SLACK_MESSAGES_PER_RUN = 3

export interface Channel {
  name: ChannelName
  /** Groups due events into messages, in the order they must go out. */
  plan(due: readonly OutboxEntry[]): OutboxEntry[][]
  send(batch: readonly OutboxEntry[]): Promise<AttemptOutcome>
  /** POST /v1/notify/test: a `ping` event, straight to the receiver. */
  ping(id: string, at: string): Promise<AttemptOutcome>
}

type ChannelTarget = { name: ChannelName; webhook: { url: string; secret: Secret } } | { name: ChannelName; slack: Secret }

/** The defaults first, then each label's: a webhook needs its URL and its own secret, Slack its URL. */
function channelTargets(config: Config): ChannelTarget[] {
  const groups = [
    { suffix: '', webhookUrl: config.webhookUrl, webhookSecret: config.webhookSecret, slack: config.slackWebhookUrl },
    ...[...config.labelChannels.values()].map((l) => ({
      suffix: `:${l.label}`,
      webhookUrl: l.webhookUrl,
      webhookSecret: l.webhookSecret,
      slack: l.slackWebhookUrl,
    })),
  ]
  const targets: ChannelTarget[] = []
  for (const g of groups) {
    if (g.webhookUrl && g.webhookSecret) targets.push({ name: `webhook${g.suffix}` as ChannelName, webhook: { url: g.webhookUrl, secret: g.webhookSecret } })
    if (g.slack) targets.push({ name: `slack${g.suffix}` as ChannelName, slack: g.slack })
  }
  return targets
}

/** The channels the config enables, by name. */
export function channelNames(config: Config): ChannelName[] {
  return channelTargets(config).map((t) => t.name)
}

export function configuredChannels(config: Config, io: PostIo): Channel[] {
  // Each channel scrubs every configured secret: a receiver may echo another channel's URL or token.
  return channelTargets(config).map((t) =>
    'webhook' in t ? webhookChannel(t.name, t.webhook.url, t.webhook.secret, io, config.redact) : slackChannel(t.name, t.slack, io, config.redact),
  )
}

function webhookChannel(name: ChannelName, url: string, secret: Secret, io: PostIo, redact: Redact): Channel {
  let key: Promise<WebhookSigner> | null = null
  const post = async (id: string, payload: WebhookBody): Promise<AttemptOutcome> => {
    let signer: WebhookSigner
    try {
      signer = await (key ??= importWebhookKey(secret))
    } catch (err) {
      key = null
      // A secret to fix is retried, not given up: nothing is lost while the operator corrects it.
      return { kind: 'retry', status: null, error: err instanceof Error ? err.message : 'WEBHOOK_SECRET is unusable', retryAfterMs: null }
    }
    const request = await signedRequest(signer, id, payload, io.clock())
    return postOnce({ label: channelSetting(name), url, headers: request.headers, body: request.body, redact }, io)
  }
  return {
    name,
    // Every event is its own signed request: receivers dedupe and verify per webhook-id.
    plan: (due) => due.map((entry) => [entry]),
    send: (batch) => post(batch[0].event.id, eventPayload(batch[0].event)),
    ping: (id, at) => post(id, pingPayload(at)),
  }
}

function slackChannel(name: ChannelName, url: Secret, io: PostIo, redact: Redact): Channel {
  const post = (message: SlackMessage): Promise<AttemptOutcome> =>
    postOnce({ label: channelSetting(name), url: url.reveal(), headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), redact }, io)
  return {
    name,
    plan: planSlack,
    send: (batch) => post(batch.length === 1 ? eventMessage(batch[0].event) : summaryMessage(batch.map((entry) => entry.event))),
    ping: (_id, at) => post(pingMessage(at)),
  }
}

/**
 * Slack messages for one run: every `key.first_seen` in one message (a fleet's first run
 * is one message), other events one each; more than SLACK_MESSAGES_PER_RUN messages
 * become a single summary. A number's events keep their order: a first sighting that
 * follows another event of its number is not pulled forward into the group.
 */
export function planSlack(due: readonly OutboxEntry[]): OutboxEntry[][] {
  const firstSeen: OutboxEntry[] = []
  const batches: OutboxEntry[][] = []
  const alone = new Set<string>()
  for (const entry of due) {
    const phone = entry.event.data.phone
    if (entry.event.type === 'key.first_seen' && !alone.has(phone)) {
      // The group goes out where its first member stands, ahead of any later event of its numbers.
      if (firstSeen.length === 0) batches.push(firstSeen)
      firstSeen.push(entry)
    } else {
      alone.add(phone)
      batches.push([entry])
    }
  }
  return batches.length <= SLACK_MESSAGES_PER_RUN ? batches : [[...due]]
}

/** The webhook body of `ping`: the event shape with every field that does not apply set to null. */
export function pingPayload(at: string): WebhookBody {
  return { type: 'ping', timestamp: at, data: NO_EVENT_FIELDS }
}
