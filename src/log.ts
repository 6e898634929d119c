/** @module The shape of flowkey's log lines: one JSON object per line, with a message. */

export type LogLine = Record<string, unknown> & { msg: string }
export type Logger = (line: LogLine) => void

export const consoleLogger: Logger = (line) => console.log(JSON.stringify(line))
