/**
 * @module Every setting flowkey reads from its environment, declared once with its kind, default and meaning:
 * the README's configuration table is generated from it (scripts/readme-tables.ts), and its check fails on a name the parser reads but this omits.
 */
import { DEFAULT_CHECK_BATCH_SIZE, DEFAULT_FAILING_AFTER, DEFAULT_KALEYRA_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS, FREE_PLAN_BATCH_LIMIT } from './config'
import { DEFAULT_D360_API_URL, DEFAULT_META_GRAPH_URL, DEFAULT_META_GRAPH_VERSION } from './sources/settings'

export interface SettingDeclaration {
  /** The variable's name; `<SID>` or `<LABEL>` stands for a family of names. */
  name: string
  kind: 'var' | 'secret'
  /** `required`, `none`, or the value used when unset. */
  default: string
  meaning: string
}

export const SETTINGS: readonly SettingDeclaration[] = [
  {
    name: 'KALEYRA_SID',
    kind: 'var',
    default: 'required',
    meaning: 'Kaleyra account SID: letters, digits, `-` or `_`, at most 64 (the rule `PUT /v1/numbers` applies)',
  },
  { name: 'KALEYRA_API_KEY', kind: 'secret', default: 'required', meaning: 'sent as the `api-key` header; never logged, never returned, never stored' },
  {
    name: 'WATCH_NUMBERS',
    kind: 'var',
    default: 'required unless numbers are added through `PUT /v1/numbers/{phone}`',
    meaning: 'comma-separated E.164 numbers, `+919876543210,+14155550100`',
  },
  { name: 'KALEYRA_POD', kind: 'var', default: '`auto`', meaning: '`in`, `sg`, `eu`, `na`, or `auto` (the pods that serve the account, ranked by round trip)' },
  {
    name: 'KALEYRA_POD_URLS',
    kind: 'var',
    default: 'none',
    meaning:
      'JSON object overriding pod base URLs, `{"in":"http://127.0.0.1:9001"}`; `/v2/<sid>/whatsapp/<phone>/flows_encryption` follows the base. When set but unusable (not JSON, an unknown pod, an entry that is not an absolute `http(s)` URL), no pod is asked at all until it is fixed',
  },
  { name: 'KALEYRA_API_KEY_<SID>', kind: 'secret', default: 'falls back to `KALEYRA_API_KEY`', meaning: 'API key for numbers added under another SID' },
  { name: 'KALEYRA_TIMEOUT_MS', kind: 'var', default: `\`${DEFAULT_KALEYRA_TIMEOUT_MS}\``, meaning: 'time-out of one request to Kaleyra' },
  { name: 'SLACK_WEBHOOK_URL', kind: 'secret', default: 'none', meaning: 'Slack incoming-webhook URL' },
  { name: 'WEBHOOK_URL', kind: 'var', default: 'none', meaning: 'receiver for signed events' },
  { name: 'WEBHOOK_SECRET', kind: 'secret', default: 'none', meaning: 'Standard Webhooks secret, `whsec_<base64>` (required with `WEBHOOK_URL`)' },
  {
    name: 'SLACK_WEBHOOK_URL_<LABEL>',
    kind: 'secret',
    default: 'none',
    meaning: 'Slack channel of the numbers carrying the label (`<LABEL>` upper-cased, `-` written `_`)',
  },
  { name: 'WEBHOOK_URL_<LABEL>', kind: 'var', default: 'none', meaning: 'receiver of the numbers carrying the label; needs its own `WEBHOOK_SECRET_<LABEL>`' },
  { name: 'WEBHOOK_SECRET_<LABEL>', kind: 'secret', default: 'none (no fallback to `WEBHOOK_SECRET`)', meaning: "that receiver's Standard Webhooks secret" },
  { name: 'ADMIN_TOKEN', kind: 'secret', default: 'none', meaning: 'bearer token for the operator routes; unset, they answer 401' },
  {
    name: 'FAILING_AFTER',
    kind: 'var',
    default: `\`${DEFAULT_FAILING_AFTER}\``,
    meaning: 'consecutive failed checks (or endpoint probes) before `check.failing` (`endpoint.failing`) goes out and the number needs attention',
  },
  { name: 'HEARTBEAT_URL', kind: 'var', default: 'none', meaning: "GET after every completed check run (dead-man's switch, e.g. Healthchecks.io)" },
  {
    name: 'CHECK_BATCH_SIZE',
    kind: 'var',
    default: `\`${DEFAULT_CHECK_BATCH_SIZE}\``,
    meaning: `subrequests per \`CHECKS\` queue message (a look-up is one, a probed endpoint one more); above ${FREE_PLAN_BATCH_LIMIT} a warning (not an error): the free plan allows 50 subrequests per invocation`,
  },
  {
    name: 'FLOW_ENDPOINTS',
    kind: 'var',
    default: 'none',
    meaning: 'JSON object, `WATCH_NUMBERS` number → its Flow data endpoint URL, probed after each check',
  },
  {
    name: 'PROBE_TIMEOUT_MS',
    kind: 'var',
    default: `\`${DEFAULT_PROBE_TIMEOUT_MS}\``,
    meaning: 'how long a Flow endpoint may take to answer a probe (WhatsApp waits 10 s)',
  },
  {
    name: 'META_APP_SECRET',
    kind: 'secret',
    default: 'none',
    meaning: "the Meta app secret of the Flows: probes carry `X-Hub-Signature-256` as WhatsApp's own requests do",
  },
  { name: 'META_APP_SECRET_<SID>', kind: 'secret', default: 'falls back to `META_APP_SECRET`', meaning: 'app secret for the numbers of another SID' },
  {
    name: 'META_ACCESS_TOKEN',
    kind: 'secret',
    default: 'none',
    meaning: 'Meta system-user access token for numbers whose `source` is `meta`; per account `META_ACCESS_TOKEN_<ACCOUNT>` comes first',
  },
  { name: 'META_GRAPH_URL', kind: 'var', default: `\`${DEFAULT_META_GRAPH_URL}\``, meaning: "base of Meta's Graph API (a local emulator in tests)" },
  { name: 'META_GRAPH_VERSION', kind: 'var', default: `\`${DEFAULT_META_GRAPH_VERSION}\``, meaning: 'Graph API version in the path' },
  { name: 'D360_API_KEY', kind: 'secret', default: 'none', meaning: '360dialog `D360-API-KEY`; one per number, so usually `D360_API_KEY_<ACCOUNT>`' },
  { name: 'D360_API_URL', kind: 'var', default: `\`${DEFAULT_D360_API_URL}\``, meaning: "base of 360dialog's API" },
  {
    name: 'AWS_ACCESS_KEY_ID',
    kind: 'secret',
    default: 'none',
    meaning:
      'with `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`, if any): credentials for numbers whose `source` is `aws`; per account `<NAME>_<ACCOUNT>` comes first',
  },
  { name: 'AWS_SECRET_ACCESS_KEY', kind: 'secret', default: 'none', meaning: 'see `AWS_ACCESS_KEY_ID`' },
  { name: 'AWS_SESSION_TOKEN', kind: 'secret', default: 'none', meaning: 'see `AWS_ACCESS_KEY_ID`' },
  {
    name: 'AWS_ENDPOINT_URL_SOCIALMESSAGING',
    kind: 'var',
    default: '`https://social-messaging.<region>.amazonaws.com`',
    meaning: "AWS's own name for overriding the service endpoint",
  },
  {
    name: 'ALLOW_PRIVATE_ENDPOINTS',
    kind: 'var',
    default: '`false`',
    meaning:
      "`true` lets Flow endpoint URLs name `localhost`, loopback and private addresses (`http:` only on loopback); for local use, `npm start` and the tests. flowkey's own origin is refused whatever it says",
  },
]
