/** @module Writes the README's generated tables (configuration, routes, failure codes) from the code's declarations, or with `--check` fails when they are not current (CI). */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
// A path in a variable: the builder is the Worker's TypeScript (bundler resolution), type-checked with the Worker.
const BUILDER = '../src/docs/readme-tables.ts'

type Tables = Record<string, string>

/** The README with each `<!-- generated:NAME -->` … `<!-- end generated -->` block replaced by the table NAME. */
export function fillTables(readme: string, tables: Tables): string {
  return readme.replace(/<!-- generated:([a-z]+) -->\n(?:[\s\S]*?\n)?<!-- end generated -->/g, (_block, name: string) => {
    const body = tables[name]
    if (body === undefined) throw new Error(`README.md has a generated block "${name}" that no table fills`)
    return `<!-- generated:${name} -->\n${body}\n<!-- end generated -->`
  })
}

async function main(): Promise<void> {
  const { readmeTables } = (await import(BUILDER)) as { readmeTables: () => Tables }
  const tables = readmeTables()
  const readme = readFileSync(README, 'utf8')
  for (const name of Object.keys(tables)) {
    if (!readme.includes(`<!-- generated:${name} -->`)) throw new Error(`README.md lacks the block <!-- generated:${name} -->`)
  }
  const fresh = fillTables(readme, tables)
  if (!process.argv.includes('--check')) {
    writeFileSync(README, fresh)
    console.log('README.md tables written')
    return
  }
  if (fresh !== readme) {
    console.error('README.md tables are not current with the code (settings, routes, failure codes): run `npm run readme:tables` and commit it')
    process.exit(1)
  }
  console.log('README.md tables are current')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
