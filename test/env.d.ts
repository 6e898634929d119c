/** @module Types for test code inside workerd: the bindings (wrangler types plus the secrets), and the URLs globalSetup provides. */
import type { EnvExtras } from '../src/env'

declare global {
  namespace Cloudflare {
    interface Env extends EnvExtras {}
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    kaleyraUrl: string
    receiverUrl: string
  }
}
