import cluster, { type Worker } from 'node:cluster'

/**
 * `logbook server --workers N`: a primary process forks N workers that run the same command and share
 * the listening socket (Node's cluster module hands connections out round-robin). The server keeps no
 * state in process memory that another process needs (ids, page tokens, multipart uploads and sessions
 * live in the database or the artifact store), so a request may land on any worker.
 */

const RESTART_DELAY_MS = 1000

/** True in the process that should supervise instead of serving. */
export function shouldSupervise(workers: number): boolean {
  return workers > 1 && cluster.isPrimary
}

/** Parse `--workers`: a positive integer, at most 64. */
export function parseWorkers(text: string | undefined): number {
  const n = Number(text ?? '1')
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`Invalid --workers '${text}': expected an integer from 1 to 64`)
  return n
}

/**
 * Fork `count` workers, restart any that dies unexpectedly, and on SIGINT/SIGTERM stop them all and
 * resolve with 0 once every worker has exited.
 */
export function superviseWorkers(count: number, log: (line: string) => void): Promise<number> {
  let stopping = false
  const live = new Set<Worker>()
  const fork = (index: number): void => {
    const worker = cluster.fork({ LOGBOOK_WORKER_INDEX: String(index) })
    live.add(worker)
    worker.on('exit', (code, signal) => {
      live.delete(worker)
      if (stopping) return
      log(`worker ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); restarting it`)
      setTimeout(() => !stopping && fork(index), RESTART_DELAY_MS).unref()
    })
  }
  for (let i = 0; i < count; i++) fork(i)
  log(`supervising ${count} worker processes (pid ${process.pid})`)
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return
      stopping = true
      log(`Received ${signal}, stopping ${live.size} workers`)
      if (live.size === 0) return resolve(0)
      for (const worker of live) {
        worker.once('exit', () => live.size === 0 && resolve(0))
        worker.process.kill('SIGTERM')
      }
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
