/** @module A value that must never reach a log, an error, a response or KV: it prints as [redacted]. */

/** What stands where a secret was: printed secrets, scrubbed echoes and cut-out queries alike. */
export const REDACTED = '[redacted]'

export class Secret {
  readonly #value: string
  constructor(value: string) {
    this.#value = value
  }
  /** The one way to read the value: call it only where it leaves for its destination. */
  reveal(): string {
    return this.#value
  }
  toString(): string {
    return REDACTED
  }
  toJSON(): string {
    return REDACTED
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED
  }
}
