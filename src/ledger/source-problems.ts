/** @module The missing-credential problems of a watch list, worked out once per version of the list (it is replaced on every write). */
import type { Config } from '../config'
import { credentialProblems, type CredentialProblem } from '../sources/credential-problems'
import type { WatchedNumber } from './watch-list'

const known = new WeakMap<readonly WatchedNumber[], { sources: Config['sources']; problems: CredentialProblem[] }>()

export function missingCredentials(config: Config, list: readonly WatchedNumber[]): CredentialProblem[] {
  const cached = known.get(list)
  if (cached && cached.sources === config.sources) return cached.problems
  const problems = credentialProblems(config.sources, list)
  known.set(list, { sources: config.sources, problems })
  return problems
}
