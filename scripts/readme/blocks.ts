/** @module The README's examples as data: `<!-- example status=NNN -->` before a fenced block of `$ command` and its shown output; comparing and cutting outputs. */

export interface Example {
  /** Index of the fence's first line (```) and of its closing line in the README's lines. */
  start: number
  end: number
  command: string
  /** Expected HTTP status of the command's last request, when the marker gives one. */
  status: number | null
  shown: string
}

const MARKER = /^<!--\s*example(?:\s+status=(\d{3}))?\s*-->$/

export function findExamples(readme: string): Example[] {
  const lines = readme.split('\n')
  const examples: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec((lines[i] ?? '').trim())
    if (!marker) continue
    const start = i + 1
    if (!(lines[start] ?? '').startsWith('```')) throw new Error(`README line ${i + 1}: an example marker must be followed by a fenced block`)
    const end = lines.findIndex((line, j) => j > start && line.startsWith('```'))
    if (end < 0) throw new Error(`README line ${start + 1}: the example's block is not closed`)
    const body = lines.slice(start + 1, end)
    const command = body[0] ?? ''
    if (!command.startsWith('$ ')) throw new Error(`README line ${start + 2}: an example block starts with "$ command"`)
    examples.push({ start, end, command: command.slice(2), status: marker[1] ? Number(marker[1]) : null, shown: body.slice(1).join('\n') })
    i = end
  }
  return examples
}

/** Writes each example's new output into the README, keeping the marker, fence and command. */
export function replaceOutputs(readme: string, outputs: ReadonlyMap<number, string>): string {
  const lines = readme.split('\n')
  const examples = findExamples(readme)
  for (const example of [...examples].reverse()) {
    const output = outputs.get(example.start)
    if (output === undefined) continue
    const replacement = [`$ ${example.command}`, ...(output === '' ? [] : output.split('\n'))]
    lines.splice(example.start + 1, example.end - example.start - 1, ...replacement)
  }
  return lines.join('\n')
}

interface Split {
  statusLine: string | null
  headers: string[]
  body: string
}

function split(output: string): Split {
  const text = output.replace(/\r\n/g, '\n').trimEnd()
  if (!text.startsWith('HTTP/')) return { statusLine: null, headers: [], body: text }
  const blank = text.indexOf('\n\n')
  const head = (blank < 0 ? text : text.slice(0, blank)).split('\n')
  return {
    statusLine: head[0] ?? null,
    headers: head.slice(1).map((h) => h.split(':')[0]?.trim().toLowerCase() ?? ''),
    body: blank < 0 ? '' : text.slice(blank + 2),
  }
}

/** Every key path of a JSON value, arrays by their first element (`a[].b`). */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`${prefix}[]`] : keyPaths(value[0], `${prefix}[]`)
  if (value === null || typeof value !== 'object') return prefix === '' ? [] : [prefix]
  const paths: string[] = []
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    paths.push(path, ...keyPaths(inner, path))
  }
  return [...new Set(paths)]
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Differences between the shown output and a real one: status line, header names, JSON fields, or a text's first and last line. */
export function compareOutput(shown: string, actual: string): string[] {
  const a = split(shown)
  const b = split(actual)
  const problems: string[] = []
  if (a.statusLine !== null && a.statusLine.split(' ')[1] !== b.statusLine?.split(' ')[1])
    problems.push(`status line "${b.statusLine ?? 'none'}", README shows "${a.statusLine}"`)
  for (const header of a.headers) if (!b.headers.includes(header)) problems.push(`header ${header} is missing`)
  const shownJson = parseJson(a.body)
  if (shownJson !== undefined) {
    const actualJson = parseJson(b.body)
    if (actualJson === undefined) return [...problems, `the answer is not JSON: ${b.body.slice(0, 120)}`]
    const want = keyPaths(shownJson)
    const got = keyPaths(actualJson)
    const missing = want.filter((p) => !got.includes(p))
    const extra = got.filter((p) => !want.includes(p))
    if (missing.length) problems.push(`fields the README shows but the answer lacks: ${missing.join(', ')}`)
    if (extra.length) problems.push(`fields the answer has but the README does not show: ${extra.join(', ')}`)
    const code = (v: unknown): unknown => (v as { error?: { code?: unknown } } | null)?.error?.code
    if (code(shownJson) !== code(actualJson)) problems.push(`error code ${String(code(actualJson))}, README shows ${String(code(shownJson))}`)
  } else if (a.body !== '') {
    // Numbers (times, counts of seconds) may differ between runs; the words may not.
    const first = (s: string): string => (s.split('\n')[0] ?? '').replace(/\d+/g, 'N')
    const last = (s: string): string => (s.split('\n').at(-1) ?? '').replace(/\d+/g, 'N')
    if (first(a.body) !== first(b.body) || last(a.body) !== last(b.body)) problems.push(`text answer differs: ${b.body.slice(0, 120)}`)
  }
  return problems
}

const LONG_STRING = 120
const KEEP_CHARS = 40

/** What the README shows of a real output: long JSON strings cut with `…` (still valid JSON), long texts to their first and last lines. */
export function cutForReadme(output: string): string {
  const { statusLine, body } = split(output)
  const text = output.replace(/\r\n/g, '\n').trimEnd()
  const head = statusLine === null ? '' : text.slice(0, text.indexOf('\n\n') < 0 ? text.length : text.indexOf('\n\n') + 2)
  const json = parseJson(body)
  if (json !== undefined && body !== '') {
    return (
      head +
      JSON.stringify(json, (_key, value: unknown) => (typeof value === 'string' && value.length > LONG_STRING ? `${value.slice(0, KEEP_CHARS)}…` : value))
    )
  }
  const lines = body.split('\n')
  return head + (lines.length > 5 ? [...lines.slice(0, 2), '…', ...lines.slice(-2)].join('\n') : body)
}
