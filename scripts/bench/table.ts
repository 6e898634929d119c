/** @module The one table `npm run bench` prints: a Markdown table, readable in a terminal and pasted as is into BENCHMARKS.md. */

export interface Row {
  section: string
  measure: string
  /** What flowkey did. */
  figure: string
  /** What it is compared with: the baseline, the ideal, or a limit. */
  reference: string
  /** figure / reference, or null when there is nothing to divide. */
  ratio: number | null
  /** e.g. `>= 0.90`; empty when the row is shown, not targeted. */
  target: string
  /** true met, false missed, null not targeted. */
  met: boolean | null
}

const HEADER = ['section', 'measure', 'flowkey', 'reference', 'ratio', 'target', 'result']

export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((row, i) => [
    i > 0 && rows[i - 1]?.section === row.section ? '' : row.section,
    row.measure,
    row.figure,
    row.reference,
    row.ratio === null ? '' : formatRatio(row.ratio),
    row.target,
    row.met === null ? '' : row.met ? 'ok' : 'MISSED',
  ])
  const widths = HEADER.map((h, c) => Math.max(h.length, ...cells.map((line) => (line[c] ?? '').length)))
  const line = (values: readonly string[]): string => `| ${values.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`
  return [line(HEADER), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n') + '\n'
}

export function formatRatio(ratio: number): string {
  return ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

export function formatMs(value: number): string {
  return value >= 100 ? `${formatCount(value)} ms` : `${value.toFixed(value >= 10 ? 1 : 2)} ms`
}

export function formatKiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`
}
