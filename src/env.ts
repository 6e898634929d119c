/**
 * @module The Worker's bindings and settings as wrangler hands them over; only config.ts reads them.
 * What wrangler.toml declares (KV, vars) is typed by `npm run cf-typegen` in worker-configuration.d.ts;
 * secrets and the optional vars that wrangler.toml leaves out are listed here.
 */

import type { Ledger } from './ledger/ledger-object'
import type { CheckMessage } from './ledger/run-table'

export interface EnvExtras {
  LEDGER: DurableObjectNamespace<Ledger>
  CHECKS: Queue<CheckMessage>
  KALEYRA_SID?: string
  KALEYRA_API_KEY?: string
  WATCH_NUMBERS?: string
  KALEYRA_POD_URLS?: string
  KALEYRA_TIMEOUT_MS?: string
  SLACK_WEBHOOK_URL?: string
  WEBHOOK_URL?: string
  WEBHOOK_SECRET?: string
  ADMIN_TOKEN?: string
  HEARTBEAT_URL?: string
  PROBE_TIMEOUT_MS?: string
  /** JSON object: WATCH_NUMBERS number to its Flow data endpoint URL. */
  FLOW_ENDPOINTS?: string
  /** `true` lets Flow endpoint URLs name loopback and private hosts, for local use. */
  ALLOW_PRIVATE_ENDPOINTS?: string
  /** Secret: signs endpoint probes (X-Hub-Signature-256). */
  META_APP_SECRET?: string
  /** Per-SID API keys: `KALEYRA_API_KEY_<SID>`. */
  [name: `KALEYRA_API_KEY_${string}`]: string | undefined
  META_GRAPH_URL?: string
  META_GRAPH_VERSION?: string
  D360_API_URL?: string
  AWS_ENDPOINT_URL_SOCIALMESSAGING?: string
  /** Key sources' credentials (sources/settings.ts): `<NAME>` and `<NAME>_<ACCOUNT>`. */
  [name: `META_ACCESS_TOKEN${string}`]: string | undefined
  [name: `D360_API_KEY${string}`]: string | undefined
  [name: `AWS_${string}`]: string | undefined
  /** Per-SID Meta app secrets: `META_APP_SECRET_<SID>`. */
  [name: `META_APP_SECRET_${string}`]: string | undefined
  /** Per-label channels: `SLACK_WEBHOOK_URL_<LABEL>`, `WEBHOOK_URL_<LABEL>`, `WEBHOOK_SECRET_<LABEL>`. */
  [name: `SLACK_WEBHOOK_URL_${string}`]: string | undefined
  [name: `WEBHOOK_URL_${string}`]: string | undefined
  [name: `WEBHOOK_SECRET_${string}`]: string | undefined
}

export interface Env extends Omit<Cloudflare.Env, keyof EnvExtras>, EnvExtras {}
