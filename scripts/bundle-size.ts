/** @module CI's size limit: builds what `npm run deploy` uploads and fails unless it is under our 100 KiB gzip target (the bench's size rows use the same build and limit). */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFlowkey } from './bench/build.js'
import { MAX_GZIP_BYTES } from './bench/report.js'
import { formatKiB } from './bench/table.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const outdir = await mkdtemp(join(tmpdir(), 'flowkey-size-'))
try {
  const bundle = await buildFlowkey(ROOT, outdir)
  const line = `bundle: ${formatKiB(bundle.rawBytes)} raw, ${formatKiB(bundle.gzipBytes)} gzip`
  if (bundle.gzipBytes >= MAX_GZIP_BYTES) {
    console.error(`${line}: OVER the ${formatKiB(MAX_GZIP_BYTES)} limit. BENCHMARKS.md (Size) says what the bundle holds and what was cut.`)
    process.exitCode = 1
  } else {
    console.log(`${line} (under the ${formatKiB(MAX_GZIP_BYTES)} limit)`)
  }
} finally {
  await rm(outdir, { recursive: true, force: true })
}
