/** @module Everything the bench starts is stopped on the way out: normal end, error, or Ctrl-C. */

type Task = () => Promise<void> | void

const tasks: Task[] = []

/** Registers a stop action; returns a function that runs it now and forgets it. */
export function onExit(task: Task): () => Promise<void> {
  tasks.push(task)
  return async () => {
    const index = tasks.indexOf(task)
    if (index >= 0) tasks.splice(index, 1)
    await task()
  }
}

/** Runs every registered task, newest first; one failing task does not keep the others from running. */
export async function runExitTasks(): Promise<void> {
  while (tasks.length > 0) {
    const task = tasks.pop()
    try {
      await task?.()
    } catch (err) {
      console.error(`bench: cleanup step failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}

/** Ctrl-C and kill stop the servers and workerd before the process ends. */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping`)
      void runExitTasks().finally(() => process.exit(130))
    })
  }
}
