/** @module The deployed bundle stays under our 100 KiB gzip limit, measured as wrangler uploads it (the same build as `npm run size` and the bench). */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildFlowkey } from '../../scripts/bench/build.js'
import { MAX_GZIP_BYTES } from '../../scripts/bench/report.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('the bundle', () => {
  it('stays under 100 KiB gzip (BENCHMARKS.md, Size)', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'flowkey-size-test-'))
    try {
      const bundle = await buildFlowkey(ROOT, outdir)
      expect(bundle.gzipBytes).toBeGreaterThan(10 * 1024)
      expect(bundle.gzipBytes, `${bundle.gzipBytes} bytes gzip: see BENCHMARKS.md (Size)`).toBeLessThan(MAX_GZIP_BYTES)
    } finally {
      await rm(outdir, { recursive: true, force: true })
    }
  })
})
