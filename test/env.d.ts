/** @module Types for test code inside workerd: the bindings (wrangler types plus the secrets), and the URLs globalSetup provides. */
import type { EnvExtras } from '../src/env'

declare global {
  namespace Cloudflare {
    // Declaration merging: the secrets join the bindings wrangler types generated.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Env extends EnvExtras {}
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    kaleyraUrl: string
    receiverUrl: string
    flowEndpointUrl: string
    closedPortUrl: string
    metaGraphUrl: string
    d360Url: string
    awsUrl: string
  }
}
