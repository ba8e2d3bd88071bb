/** Command line and environment: which backend, full or quick, and every size and time bound. */
import { parseArgs } from 'node:util'

export type Backend = 'sqlite' | 'postgres'

export interface BenchConfig {
  backend: Backend
  quick: boolean
  /** Skip MLflow's server (for trying out Logbook alone); ratios are then omitted. */
  logbookOnly: boolean
  ingest: { clients: number; keys: number; stepsPerKey: number; durationMs: number }
  logMetric: { calls: number; limitMs: number }
  search: {
    checkpoints: number[]
    repeats: number
    concurrency: number
    populateLimitMs: number
    queryLimitMs: number
  }
  history: {
    points: number
    concurrency: number
    loadLimitMs: number
    readLimitMs: number
    readRepeats: number
  }
  historyUnordered: { concurrency: number; readRepeats: number }
  rss: { points: number; limitMs: number }
}

const HELP = `Usage: npm run bench -- [--backend sqlite|postgres] [--quick] [--logbook-only]

Starts Logbook and MLflow's own server (one after the other) on 127.0.0.1 and drives both with the
same load: log-batch ingest, single log-metric calls, run search, a long get-history read; then
Logbook's RSS while it ingests 10M points. Writes bench/results/<timestamp>-<backend>.json.

Environment: BENCH_BACKEND=sqlite|postgres, BENCH_QUICK=1.
`

export function parseConfig(argv: string[]): BenchConfig | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      quick: { type: 'boolean' },
      'logbook-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return undefined
  }
  const backend = (values.backend ?? process.env.BENCH_BACKEND ?? 'sqlite').toLowerCase()
  const normalized = backend === 'pg' || backend === 'postgresql' ? 'postgres' : backend
  if (normalized !== 'sqlite' && normalized !== 'postgres') {
    throw new Error(`--backend must be sqlite or postgres, got '${backend}'`)
  }
  const quick =
    values.quick === true || ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '')
  const s = 1000
  return {
    backend: normalized,
    quick,
    logbookOnly: values['logbook-only'] === true,
    ingest: { clients: 8, keys: 10, stepsPerKey: 100, durationMs: quick ? 5 * s : 20 * s },
    logMetric: { calls: quick ? 300 : 2000, limitMs: quick ? 30 * s : 60 * s },
    search: {
      checkpoints: quick ? [1000] : [10_000],
      repeats: quick ? 5 : 20,
      concurrency: 4,
      populateLimitMs: quick ? 45 * s : 150 * s,
      queryLimitMs: quick ? 20 * s : 30 * s,
    },
    // One writer, steps in order, as a training loop logs. historyUnordered (Logbook only) loads
    // the same series with 4 concurrent writers, so batches land out of step order.
    history: {
      points: quick ? 100_000 : 1_000_000,
      concurrency: 1,
      loadLimitMs: quick ? 30 * s : 60 * s,
      readLimitMs: quick ? 30 * s : 45 * s,
      readRepeats: 3,
    },
    historyUnordered: { concurrency: 4, readRepeats: 1 },
    rss: { points: quick ? 1_000_000 : 10_000_000, limitMs: quick ? 60 * s : 180 * s },
  }
}
