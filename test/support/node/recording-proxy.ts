/** @module A pass-through HTTP proxy on loopback that records what a client sent: the CLI's requests are asserted while the real worker answers them. */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

export interface RecordingProxy {
  url: string
  /** Every request forwarded so far, oldest first; empty it between cases. */
  requests: RecordedRequest[]
  close(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const method = req.method ?? 'GET'
      const path = req.url ?? '/'
      requests.push({ method, path, headers: req.headers, body: body.toString('utf8') })
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length') continue
        headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      fetch(`${target}${path}`, { method, headers, body: body.length > 0 ? body : undefined, redirect: 'manual' })
        .then(async (answer) => {
          const text = Buffer.from(await answer.arrayBuffer())
          const out: Record<string, string> = {}
          answer.headers.forEach((value, name) => {
            if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value
          })
          res.writeHead(answer.status, out).end(text)
        })
        .catch((err: unknown) => res.writeHead(502).end(String(err)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
