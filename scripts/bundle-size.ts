/** @module CI's size limit: builds what `npm run deploy` uploads, says how it stands against our 100 KiB target, and fails past CI's ceiling (the bench's size rows use the same build and limit). */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFlowkey } from './bench/build.js'
import { CI_CEILING_GZIP_BYTES, MAX_GZIP_BYTES } from './bench/report.js'
import { formatKiB } from './bench/table.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const outdir = await mkdtemp(join(tmpdir(), 'flowkey-size-'))
try {
  const bundle = await buildFlowkey(ROOT, outdir)
  const target = bundle.gzipBytes < MAX_GZIP_BYTES ? 'under' : 'OVER'
  const line = `bundle: ${formatKiB(bundle.rawBytes)} raw, ${formatKiB(bundle.gzipBytes)} gzip (${target} the ${formatKiB(MAX_GZIP_BYTES)} target; CI ceiling ${formatKiB(CI_CEILING_GZIP_BYTES)})`
  if (bundle.gzipBytes >= CI_CEILING_GZIP_BYTES) {
    console.error(`${line}: over the limit. BENCHMARKS.md (Size) says what the bundle holds and what was cut.`)
    process.exitCode = 1
  } else {
    console.log(line)
  }
} finally {
  await rm(outdir, { recursive: true, force: true })
}
