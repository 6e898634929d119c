/** @module Types for test code inside workerd: the bindings, and the URLs globalSetup provides. */
import type { Env } from '../src/env'

declare global {
  namespace Cloudflare {
    interface Env extends FlowkeyEnv {}
  }
}
type FlowkeyEnv = Env

declare module 'vitest' {
  export interface ProvidedContext {
    kaleyraUrl: string
    receiverUrl: string
    flowEndpointUrl: string
    closedPortUrl: string
  }
}
