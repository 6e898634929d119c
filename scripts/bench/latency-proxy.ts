/** @module A loopback proxy that holds every request a fixed time before passing it on: the Meta, 360dialog and AWS emulators answer at once, the bench wants each look-up to take as long as a Kaleyra one. */
import { createServer, request as forward } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export interface LatencyProxy {
  url: string
  /** Requests passed on so far. */
  count(): number
  close(): Promise<void>
}

/**
 * Forwards method, path, headers (Host included, so a SigV4 signature made for the proxy's address
 * still verifies) and body to `target`, after `latencyMs`.
 */
export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target)
  let count = 0
  const server = createServer((req, res) => {
    count += 1
    void sleep(latencyMs).then(() => {
      const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      out.on('error', () => res.destroy())
      req.pipe(out)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
