/** @module What /proc tells about workerd: which child process it is, and how much CPU its threads have used. Linux only; elsewhere null. */
import { readFileSync, readdirSync } from 'node:fs'

/** This process's children, from /proc; empty where there is no /proc. */
export function childPids(): number[] {
  try {
    return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    )
  } catch {
    return []
  }
}

export function isWorkerd(pid: number): boolean {
  try {
    return /workerd/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '')
  } catch {
    return false
  }
}

/** Sum over the process's threads of their time on a CPU (schedstat, in ns: finer than the 10 ms ticks of /proc/<pid>/stat). */
export function processCpuNs(pid: number): number | null {
  try {
    let total = 0
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        // A thread that ended between the listing and the read used no more CPU.
      }
    }
    return total
  } catch {
    return null
  }
}
