/** @module The operator API as the CLI sees it: base URL and token from options or env, JSON in and out, errors as one sentence. */

export const DEFAULT_URL = 'http://127.0.0.1:8787'
const REQUEST_TIMEOUT_MS = 60_000

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

export interface ApiOptions {
  url: string
  token: string | null
  fetch?: typeof fetch
}

export interface ApiAnswer<T> {
  status: number
  body: T
}

/** Calls one route; an `{"error":{code,message}}` body or a non-JSON answer becomes a CliError, unless `accept` lists the status. */
export async function callApi<T>(
  api: ApiOptions,
  method: string,
  path: string,
  init: { body?: string; contentType?: string; accept?: number[] } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (api.token) headers['authorization'] = `Bearer ${api.token}`
  if (init.contentType) headers['content-type'] = init.contentType
  const url = `${api.url.replace(/\/+$/, '')}${path}`
  let res: Response
  try {
    res = await (api.fetch ?? fetch)(url, { method, headers, body: init.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  } catch (err) {
    throw new CliError(`cannot reach flowkey at ${api.url} (${err instanceof Error ? err.message : String(err)}): is it running? Set FLOWKEY_URL or --url`)
  }
  const text = await res.text()
  // 204: done, nothing to read (DELETE .../mute).
  if (res.status === 204) return { status: res.status, body: null as T }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new CliError(`${method} ${path} answered ${res.status} with something that is not JSON: is ${api.url} a flowkey worker?`)
  }
  if (res.ok || init.accept?.includes(res.status)) return { status: res.status, body: body as T }
  const error = (body as { error?: { code?: string; message?: string } }).error
  if (res.status === 401) {
    throw new CliError(
      `${method} ${path}: 401 unauthorized. ${api.token ? "ADMIN_TOKEN does not match the worker's" : 'Set ADMIN_TOKEN (npm start prints `export ADMIN_TOKEN=...`) or pass --token'}`,
    )
  }
  throw new CliError(`${method} ${path}: ${res.status} ${error?.code ?? ''}: ${error?.message ?? text.slice(0, 200)}`)
}
