/** @module The endpoint probe's public face, for the check run and the operator route: probe, decide, events, URL rules. */
export { probeEndpoint, PROBE_TIMEOUT_MS, MAX_ANSWER_BYTES, type ProbeTarget, type ProbeOptions } from './probe'
export { PROBE_OUTCOMES, adviceFor, type ProbeOutcome, type ProbeResult } from './outcome'
export {
  decideEndpoint,
  endpointEvent,
  initialEndpointState,
  type EndpointAlert,
  type EndpointDecideContext,
  type EndpointDecision,
  type EndpointState,
} from './decide-endpoint'
export { checkEndpointUrl, displayEndpointUrl, endpointRefusal, type EndpointRules } from './endpoint-url'
export type { RsaPublicJwk } from './flow-crypto'
