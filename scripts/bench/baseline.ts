/** @module The baseline worker: a copy, as a constant, of one answer flowkey gave. */

export interface CapturedResponse {
  status: number
  headers: [string, string][]
  body: string
}

/** Headers the runtime sets itself (or that describe the connection), left out of the copy. */
const RUNTIME_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

/** One answer, as the load generator will see it, to be copied by a baseline worker. */
export async function capture(url: string, headers: Record<string, string> = {}): Promise<CapturedResponse> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
  const body = await response.text()
  return { status: response.status, headers: [...response.headers].filter(([name]) => !RUNTIME_HEADERS.has(name)), body }
}

/**
 * The baseline: a worker that answers every request with the same constant status,
 * headers and body (byte for byte what flowkey answered). It is the fastest a worker
 * can answer with that response, in this runtime, on this machine.
 */
export function constantWorkerSource(response: CapturedResponse): string {
  const body = response.status === 304 || response.status === 204 ? null : response.body
  return [
    `const BODY = ${JSON.stringify(body)};`,
    `const INIT = ${JSON.stringify({ status: response.status, headers: response.headers })};`,
    'export default { fetch() { return new Response(BODY, INIT) } };',
  ].join('\n')
}
