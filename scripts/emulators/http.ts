/** @module What every loopback emulator needs of node:http: reading a request, answering, and a control-API error with its status. */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** A bad control-API call: answered with its status and message. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** A path segment decoded once; a malformed escape is kept as sent, so it is simply not found. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString('utf8')
}

/** A control call's body: empty is `{}`, anything but a JSON object is a 400. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readText(req)
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ControlError(400, 'body must be JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ControlError(400, 'body must be a JSON object')
  return parsed as Record<string, unknown>
}

export function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value))
}
