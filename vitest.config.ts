/** @module Two test projects: the Worker's suite inside workerd, and Node-side checks of the scripts (bench smoke test). */
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import './test/support/node/quiet-output.js'

export default defineConfig({
  test: {
    // The worker logs a JSON line per check: kept out of the report unless FLOWKEY_TEST_LOGS=1.
    onConsoleLog: (line: string) => (process.env.FLOWKEY_TEST_LOGS === '1' || !line.startsWith('{"msg"') ? undefined : false),
    projects: [
      {
        plugins: [cloudflareTest({ remoteBindings: false, wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/node/**'],
          // The emulators of Kaleyra, Slack and webhook receivers, on loopback.
          globalSetup: ['./test/support/node/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
    ],
  },
})
