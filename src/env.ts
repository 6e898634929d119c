/**
 * @module The Worker's bindings and settings as wrangler hands them over; only config.ts reads them.
 * What wrangler.toml declares (KV, vars) is typed by `npm run cf-typegen` in worker-configuration.d.ts;
 * secrets and the optional vars that wrangler.toml leaves out are listed here.
 */

export interface EnvExtras {
  CHECKS?: Queue
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
  /** Per-SID API keys: `KALEYRA_API_KEY_<SID>`. */
  [name: `KALEYRA_API_KEY_${string}`]: string | undefined
}

export interface Env extends Cloudflare.Env, EnvExtras {}
