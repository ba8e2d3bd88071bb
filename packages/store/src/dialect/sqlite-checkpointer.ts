import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * How often the background thread folds the WAL back into the database file. A checkpoint copies
 * each page the WAL holds once, however often it was rewritten since the last one, and ingest
 * rewrites the same tail pages batch after batch: measured with `bench/ingest-cpu.ts --mode
 * socket`, server CPU per 1,000-point batch was 5.8-5.9 ms at 20 ms, 4.8-5.5 ms at 100 ms and
 * 4.8-5.1 ms at 200 ms. The writer's backstop (16 MB) bounds the WAL in between.
 */
const INTERVAL_MS = 100

/**
 * The worker's whole program (CommonJS, run with `eval`, so it needs no build step under tsx or
 * node). It owns a second connection to the same file and runs PASSIVE checkpoints, which never
 * wait for or block the writer: they copy what the WAL holds up to the last commit and sync.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.path, { timeout: 0 })
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch { /* busy or closing: the next tick retries */ }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Move WAL checkpoints off the serving thread. With SQLite's automatic checkpoint, every ~1,000
 * pages one commit copies 4 MB into the database file and waits for its fsync on the event loop.
 * Measured with 1,000-point batches (8 runs x 10 keys, 3,000 commits): commit 0.87-1.42 ms ->
 * 0.37-0.54 ms, wall per batch 3.2-5.8 ms -> 2.4-3.4 ms. The worker copies the pages on the other
 * core. The writer keeps a higher `wal_autocheckpoint`: SQLite rewinds the WAL only when a
 * checkpoint has caught up before the next write begins, which under steady ingest happens at the
 * writer's own checkpoint; by then the worker has copied nearly everything, so it is short.
 */
export function startCheckpointer(path: string, onFailure: () => void): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { path, module, intervalMs: INTERVAL_MS },
    // It allocates next to nothing; small heaps keep its V8 isolate from holding memory.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  })
  worker.unref()
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  // A checkpointer that fails hands the job back to the writer's automatic checkpoint.
  worker.on('error', onFailure)
  return {
    async stop() {
      // Unreferenced, the worker would not keep the event loop alive until it has exited.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
