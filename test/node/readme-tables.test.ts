/** @module The README's configuration, routes and failure-code tables are the code's declarations, and every setting the parser reads is declared. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fillTables } from '../../scripts/readme-tables.js'
import { ROOT } from '../support/node/live-worker.js'

// Paths in variables: these are the Worker's TypeScript (bundler resolution), type-checked with the Worker.
const BUILDER = '../../src/docs/readme-tables.ts'
const DECLARATIONS = '../../src/config-settings.ts'
const { readmeTables } = (await import(BUILDER)) as { readmeTables: () => Record<string, string> }
const { SETTINGS } = (await import(DECLARATIONS)) as { SETTINGS: readonly { name: string }[] }

/** The files that read the environment: config.ts parses it, with the helpers it hands a value or a prefix to. */
const PARSERS = ['src/config.ts', 'src/probe/endpoint-config.ts', 'src/notify/label-channels.ts']
/** The sources' own settings, read by name (`url('META_GRAPH_URL', …)`, the list of secrets). */
const SOURCE_SETTINGS = 'src/sources/settings.ts'

describe('README tables', () => {
  it('are current with the code', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(fillTables(readme, readmeTables())).toBe(readme)
  })

  it('declare every setting the parser reads, and nothing it does not', () => {
    const read = new Set<string>()
    for (const file of PARSERS) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1] ?? '')
      // A family of names is read by its prefix: KALEYRA_API_KEY_<SID>, WEBHOOK_URL_<LABEL>.
      for (const m of text.matchAll(/'([A-Z][A-Z0-9_]+_)'/g)) read.add(`${m[1] ?? ''}<`)
    }
    const sources = readFileSync(join(ROOT, SOURCE_SETTINGS), 'utf8')
    for (const m of sources.matchAll(/(?:url\(|env\.|\[|, )'?([A-Z][A-Z0-9]+_[A-Z0-9_]+)'?/g)) if (!m[1]?.startsWith('DEFAULT_')) read.add(m[1] ?? '')
    const declared = SETTINGS.map((s) => s.name.replace(/<[A-Z]+>$/, '<'))
    expect([...read].filter((name) => !declared.includes(name))).toEqual([])
    expect(declared.filter((name) => !read.has(name))).toEqual([])
  })
})
