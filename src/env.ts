/** @module The Worker's bindings and settings as wrangler hands them over; only config.ts reads them. */

export interface Env {
  KEYS: KVNamespace
  CHECKS?: Queue
  KALEYRA_SID?: string
  KALEYRA_API_KEY?: string
  WATCH_NUMBERS?: string
  KALEYRA_POD?: string
  KALEYRA_POD_URLS?: string
  KALEYRA_TIMEOUT_MS?: string
  SLACK_WEBHOOK_URL?: string
  WEBHOOK_URL?: string
  WEBHOOK_SECRET?: string
  ADMIN_TOKEN?: string
  FAILING_AFTER?: string
  HEARTBEAT_URL?: string
  CHECK_BATCH_SIZE?: string
  /** Per-SID API keys: `KALEYRA_API_KEY_<SID>`. */
  [name: `KALEYRA_API_KEY_${string}`]: string | undefined
}
