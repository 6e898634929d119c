/** @module Keeps a passing run's output to vitest's summary: drops workerd's traces of the sockets fault tests drop on purpose, and vite's note on a dependency's sourcemap. */

// Every line here is an outcome a test provokes and asserts (refused connections, resets, truncated bodies,
// the test pool's own socket at teardown); workerd prints it with native stack addresses anyway.
const EXPECTED_LINES: readonly RegExp[] = [
  /Network connection lost\.?$/,
  /disconnected: connect\(\): Connection refused$/,
  /disconnected: Connection refused \(os error 111\)$/,
  /disconnected: client error \(SendRequest\)$/,
  /disconnected: stream disconnected prematurely$/,
  /disconnected: WebSocket peer disconnected$/,
  // workerd's own note when a test drives the ledger's clock (runs an alarm's work early or late): not an error.
  /NOSENTRY SQLite alarm overdue, running despite AlarmManager mismatch/,
  // vite, about a published package whose map names sources it does not ship; nothing of ours.
  /^Sourcemap for "[^"]*\/node_modules\/[^"]*" points to missing source files$/,
]
/** workerd's native stack of the line before: meaningless without symbols, dropped with that line. */
const NATIVE_STACK = /^stack: (\S+@[0-9a-f]+\s*)+$/

/** Filters one chunk written to stderr; exported for its test. Returns what is left to print. */
export function filterExpected(chunk: string, state: { dropping: boolean }): string {
  const kept: string[] = []
  const lines = chunk.split('\n')
  lines.forEach((line, i) => {
    // eslint-disable-next-line no-control-regex -- ANSI colour codes are exactly what this strips
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '')
    if (EXPECTED_LINES.some((re) => re.test(plain.trimEnd()))) state.dropping = true
    else if (state.dropping && NATIVE_STACK.test(plain.trimEnd())) state.dropping = true
    else if (i === lines.length - 1 && line === '')
      return // the chunk's final newline
    else {
      state.dropping = false
      kept.push(line)
    }
  })
  if (kept.length === 0) return ''
  return kept.join('\n') + (chunk.endsWith('\n') ? '\n' : '')
}

// FLOWKEY_TEST_LOGS=1 shows everything, as for the worker's own log lines. The test pool writes workerd's
// "info" lines to stdout and its errors to stderr, so both are filtered.
if (process.env['FLOWKEY_TEST_LOGS'] !== '1') {
  for (const stream of [process.stdout, process.stderr]) {
    const state = { dropping: false }
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      const left = filterExpected(text, state)
      if (left === '') return true
      return write(left === text ? chunk : left, ...rest)
    }) as typeof stream.write
  }
}
