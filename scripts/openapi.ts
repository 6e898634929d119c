/** @module Writes /openapi.json from the route table into the Worker's static assets (`npm run openapi:build`), or with `--check` fails when the committed one is not current (CI). */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const DOCUMENT_PATH = fileURLToPath(new URL('../assets/openapi.json', import.meta.url))
// A path in a variable: the build module is the Worker's TypeScript (bundler resolution), type-checked with the Worker.
const BUILDER = '../src/http/openapi-document.ts'

/** The document as the committed file holds it: two-space JSON and a final newline. */
export async function renderOpenapiDocument(): Promise<string> {
  const { buildOpenapiDocument } = (await import(BUILDER)) as { buildOpenapiDocument: () => object }
  return `${JSON.stringify(buildOpenapiDocument(), null, 2)}\n`
}

async function main(): Promise<void> {
  const fresh = await renderOpenapiDocument()
  if (!process.argv.includes('--check')) {
    writeFileSync(DOCUMENT_PATH, fresh)
    console.log(`wrote ${DOCUMENT_PATH}`)
    return
  }
  let committed = ''
  try {
    committed = readFileSync(DOCUMENT_PATH, 'utf8')
  } catch {
    // Missing counts as stale.
  }
  if (committed !== fresh) {
    console.error('assets/openapi.json is not current with the route table: run `npm run openapi:build` and commit it')
    process.exit(1)
  }
  console.log('assets/openapi.json is current')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
