/** @module Every failure code a key source can end in, one row each: retry, next pod, host down, silence, words, advice. Every predicate reads it. */
import type { ErrorCode } from '../errors'
import { AWS_FAILURES } from './aws/failures'
import { D360_FAILURES } from './d360/failures'
import { KALEYRA_FAILURES } from './kaleyra/failures'
import { META_FAILURES } from './meta/failures'
import { GENERAL_FAILURES, type FailureRow } from './failure-row'

export type { AdviceContext, FailureRow } from './failure-row'

/** Codes a check can fail with, whoever was asked: one row per code, no code in two tables. */
const TABLE: ReadonlyMap<string, FailureRow> = new Map(
  [GENERAL_FAILURES, KALEYRA_FAILURES, META_FAILURES, D360_FAILURES, AWS_FAILURES].flatMap((table) => Object.entries(table)),
)

export function failureRow(code: string | null | undefined): FailureRow | undefined {
  return code ? TABLE.get(code) : undefined
}

/** Every code with its row, for generated documentation. */
export function failureCodes(): [ErrorCode, FailureRow][] {
  return [...TABLE.entries()] as [ErrorCode, FailureRow][]
}

/** Kaleyra `auto`: only "this pod does not know the account", "cannot reach it" or "is failing" make another pod worth asking. */
export const triesNextPod = (code: string): boolean => failureRow(code)?.nextPod === true

/** The host is failing rather than the request: Kaleyra's pods are measured again sooner. */
export const meansHostDown = (code: string): boolean => failureRow(code)?.hostDown === true

/** A pod measured with this failure answered but refused the account: it is no candidate, though it is up. */
export const meansRefused = (code: string): boolean => triesNextPod(code) && !meansHostDown(code)

/** No answer at all (time-out, refused connection) when there was no HTTP status: what opens a host's circuit. */
export const isSilence = (code: string, status: number | null): boolean => status === null && failureRow(code)?.silent === true

/** The failure in words, for pages and messages; an unknown code is named as it is. */
export function errorInWords(code: string | null): string {
  if (!code) return 'the check failed'
  return failureRow(code)?.words ?? `the check failed (${code})`
}

/** One sentence saying what to do; `sid` as the reader should see it (e.g. in backticks), or null. */
export function failureAdvice(code: string | null, sid: string | null): string {
  const row = failureRow(code)
  return row ? row.advice({ sid: sid === null ? '' : ` ${sid}` }) : "See the error in /v1/status and the number's history"
}
