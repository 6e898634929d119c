/** @module The test-output filter drops only the socket drops fault tests cause on purpose, with their native stacks, and keeps everything else. */
import { describe, expect, it } from 'vitest'
import { filterExpected } from '../support/node/quiet-output.js'

const STACK = 'stack: /x/bin/workerd@51ccf21 /x/bin/workerd@51cd135 /x/bin/workerd@51bdf58'

describe('filterExpected', () => {
  it('drops a dropped-socket trace and the native stack after it', () => {
    const state = { dropping: false }
    expect(filterExpected(`exception = kj/async-io.c++:60: disconnected: stream disconnected prematurely\n${STACK}\n`, state)).toBe('')
    expect(filterExpected('uncaught exception; source = Uncaught (in promise); stack = Error: Network connection lost.\n', state)).toBe('')
    expect(filterExpected(`${STACK}\n`, state)).toBe('')
    expect(filterExpected('Sourcemap for "/r/node_modules/standardwebhooks/dist/index.js" points to missing source files\n', state)).toBe('')
  })

  it('keeps any other line, and the stack that follows it', () => {
    const state = { dropping: false }
    const unexpected = `exception = kj/x.c++:1: failed: something else\n${STACK}\n`
    expect(filterExpected(unexpected, state)).toBe(unexpected)
    expect(filterExpected(' ✓ test/a.test.ts (3 tests)\n', state)).toBe(' ✓ test/a.test.ts (3 tests)\n')
    expect(filterExpected('Sourcemap for "/r/src/index.ts" points to missing source files\n', state)).not.toBe('')
  })

  it('keeps the lines around a dropped one in the same chunk', () => {
    expect(filterExpected(`before\ndisconnected: connect(): Connection refused\n${STACK}\nafter\n`, { dropping: false })).toBe('before\nafter\n')
  })
})
