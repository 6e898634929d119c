/** @module Runs the test suite inside workerd (the Workers runtime) with the local emulators on loopback. */
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [
    cloudflareTest({
      remoteBindings: false,
      wrangler: { configPath: './wrangler.toml' },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/node/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
