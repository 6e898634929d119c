/** @module The README's tables built from the code's own declarations: settings, routes and failure codes (scripts/readme-tables.ts writes and checks them). */
import { SETTINGS } from '../config-settings'
import { ROUTES } from '../http/routes'
import { failureCodes } from '../sources/failures'

export type TableName = 'config' | 'routes' | 'errors'

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const yes = (flag: boolean): string => (flag ? 'yes' : 'no')

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

export function readmeTables(): Record<TableName, string> {
  return {
    config: table(
      ['name', 'kind', 'default', 'meaning'],
      SETTINGS.map((s) => [`\`${s.name}\``, s.kind, s.default, s.meaning]),
    ),
    routes: table(
      ['route', 'who', 'answer'],
      Object.values(ROUTES).map((d) => [`\`${d.route.method.toUpperCase()} ${d.route.path}\``, d.access, d.route.summary ?? '']),
    ),
    errors: table(
      ['code', 'retried', 'next pod', 'means', 'what to do'],
      failureCodes().map(([code, row]) => [`\`${code}\``, yes(row.retry), yes(row.nextPod), row.words, row.advice({ sid: '' })]),
    ),
  }
}
