/** @module Builds bundles exactly as `wrangler deploy` would upload them (`--dry-run --outdir`), and measures them as wrangler does. */
import { spawn } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { onExit } from './cleanup.js'

const BUILD_TIMEOUT_MS = 60_000

export interface Bundle {
  /** The entry module workerd runs. */
  entry: string
  rawBytes: number
  /** gzip of all modules, as wrangler computes "Total Upload" and as Cloudflare checks the size limit. */
  gzipBytes: number
}

/** The repo's worker, built with the repo's wrangler.toml. */
export function buildFlowkey(root: string, outdir: string): Promise<Bundle> {
  return wranglerBuild(root, outdir, ['--config', join(root, 'wrangler.toml')], 'index.js')
}

/** A single-file worker (the naive one), built with a throwaway config so the repo's bindings and vars stay out of it. */
export async function buildStandalone(root: string, outdir: string, name: string, main: string, compatibilityDate: string): Promise<Bundle> {
  const config = join(outdir, `${name}.wrangler.json`)
  await mkdir(outdir, { recursive: true })
  await writeFile(config, JSON.stringify({ name, main: resolve(root, main), compatibility_date: compatibilityDate }))
  return wranglerBuild(root, join(outdir, name), ['--config', config], basename(main).replace(/\.[cm]?[jt]s$/, '.js'))
}

/** `compatibility_date` from wrangler.toml, so workerd runs the bundle with the date it is deployed with. */
export async function compatibilityDate(root: string): Promise<string> {
  const toml = await readFile(join(root, 'wrangler.toml'), 'utf8')
  const date = /^compatibility_date\s*=\s*"(\d{4}-\d{2}-\d{2})"/m.exec(toml)?.[1]
  if (!date) throw new Error('wrangler.toml has no compatibility_date')
  return date
}

/** wrangler names the bundle's entry after the source entry (`src/index.ts` becomes `index.js`). */
async function wranglerBuild(root: string, outdir: string, args: string[], entry: string): Promise<Bundle> {
  const bin = join(root, 'node_modules', '.bin', 'wrangler')
  await run(bin, ['deploy', '--dry-run', '--outdir', outdir, ...args], root)
  const files = (await readdir(outdir)).filter((f) => /\.(m?js|cjs|wasm)$/.test(f)).sort()
  if (!files.includes(entry)) throw new Error(`wrangler wrote no ${entry} into ${outdir} (found: ${files.join(', ') || 'nothing'})`)
  const contents = await Promise.all(files.map((f) => readFile(join(outdir, f))))
  const all = Buffer.concat(contents)
  return { entry: join(outdir, entry), rawBytes: all.byteLength, gzipBytes: gzipSync(all).byteLength }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // No telemetry: the bench runs on machines without network, and measures, it does not report.
    const child = spawn(command, args, { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    const stop = onExit(() => {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM')
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS)
    child.on('error', (err) => {
      clearTimeout(timer)
      void stop()
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      void stop()
      if (code === 0) resolvePromise()
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`))
    })
  })
}
