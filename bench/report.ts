/** Side-by-side figures, ratios and the targets, as text and as JSON. */
import type { BenchConfig } from './config.ts'
import type { HistoryResult } from './phases/history.ts'
import type { IngestResult } from './phases/ingest.ts'
import type { LogMetricResult } from './phases/log-metric.ts'
import type { RssResult } from './phases/rss.ts'
import type { SearchResult } from './phases/search.ts'
import type { PhaseCpu } from './proc.ts'
import { round } from './stats.ts'

export interface ServerResult {
  startupSeconds: number
  /** CPU used by other processes just before the load started (% of one core). */
  quietBefore: { otherPct: number; waitedSeconds: number }
  /** CPU per phase (% of one core; 2 cores = 200%): client, server and other processes. */
  cpu: { ingest: PhaseCpu; logMetric: PhaseCpu; search?: PhaseCpu; history?: PhaseCpu }
  ingest: IngestResult
  logMetric: LogMetricResult
  search: SearchResult
  history: HistoryResult
  /** Set when the server process ended by itself during the session (crash or outside kill). */
  serverDied?: string
  /** Logbook only: the same series written by concurrent writers (batches out of step order). */
  historyUnordered?: HistoryResult
}

export interface Row {
  figure: string
  logbook: number | string
  mlflow: number | string
  /** Logbook/MLflow for throughputs, MLflow/Logbook for latencies: > 1 means Logbook is better. */
  ratio: number | string
  ratioKind: string
}

export interface Target {
  target: string
  measured: string
  met: boolean | 'n/a'
  note?: string
}

/** Every run count at which either server's searches were timed. */
function searchSizes(lb: ServerResult, ml: ServerResult | undefined): number[] {
  const all = [...lb.search.checkpoints, ...(ml?.search.checkpoints ?? [])].map((c) => c.runs)
  return [...new Set(all)].sort((x, y) => x - y)
}

const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? round(a / b, 1) : 'n/a')

export function comparisonRows(lb: ServerResult, ml: ServerResult | undefined): Row[] {
  const rows: Row[] = []
  const up = (figure: string, a: number, b: number | undefined) =>
    rows.push({
      figure,
      logbook: a,
      mlflow: b ?? 'n/a',
      ratio: b === undefined ? 'n/a' : ratio(a, b),
      ratioKind: 'Logbook/MLflow',
    })
  const down = (figure: string, a: number, b: number | undefined) =>
    rows.push({
      figure,
      logbook: a,
      mlflow: b ?? 'n/a',
      ratio: b === undefined ? 'n/a' : ratio(b, a),
      ratioKind: 'MLflow/Logbook',
    })
  up(
    '(a) ingest points/s (8 clients x 1,000-metric log-batch)',
    lb.ingest.pointsPerSec,
    ml?.ingest.pointsPerSec,
  )
  down('(a) ingest request p50 ms', lb.ingest.latencyMs.p50, ml?.ingest.latencyMs.p50)
  down('(a) ingest request p99 ms', lb.ingest.latencyMs.p99, ml?.ingest.latencyMs.p99)
  rows.push({
    figure: '(a) ingest errors',
    logbook: lb.ingest.errors,
    mlflow: ml?.ingest.errors ?? 'n/a',
    ratio: '',
    ratioKind: '',
  })
  rows.push({
    figure: '(b) log-metric calls timed (after 20 warm-up calls)',
    logbook: lb.logMetric.calls,
    mlflow: ml?.logMetric.calls ?? 'n/a',
    ratio: '',
    ratioKind: '',
  })
  down('(b) log-metric p50 ms', lb.logMetric.latencyMs.p50, ml?.logMetric.latencyMs.p50)
  down('(b) log-metric p99 ms', lb.logMetric.latencyMs.p99, ml?.logMetric.latencyMs.p99)
  rows.push({
    figure: '(c) search runs populated (of which written straight into the database)',
    logbook: lb.search.runsPopulated,
    mlflow: ml ? `${ml.search.runsPopulated} (${ml.search.runsInsertedDirectly ?? 0})` : 'n/a',
    ratio: '',
    ratioKind: '',
  })
  up(
    '(c) populate runs/s (create + log-batch, 4 clients)',
    lb.search.populateRunsPerSec,
    ml?.search.populateRunsPerSec,
  )
  for (const size of searchSizes(lb, ml)) {
    const mine = lb.search.checkpoints.find((c) => c.runs === size)
    const theirs = ml?.search.checkpoints.find((c) => c.runs === size)
    const names = (mine ?? theirs)?.queries.map((q) => q.name) ?? []
    names.forEach((name, i) => {
      const a = mine?.queries[i]?.latencyMs
      const b = theirs?.queries[i]?.latencyMs
      for (const [label, key] of [
        ['median', 'p50'],
        ['p90', 'p90'],
      ] as const) {
        const figure = `(c) search @${size} runs [${name}] ${label} ms`
        if (a && b) down(figure, a[key], b[key])
        else
          rows.push({
            figure,
            logbook: a?.[key] ?? 'n/a',
            mlflow: b?.[key] ?? 'n/a',
            ratio: '',
            ratioKind: '',
          })
      }
    })
  }
  rows.push({
    figure: '(d) history points loaded',
    logbook: lb.history.pointsLoaded,
    mlflow: ml?.history.pointsLoaded ?? 'n/a',
    ratio: '',
    ratioKind: '',
  })
  up(
    '(d) history load points/s (1 client, 1,000-point log-batch)',
    lb.history.loadPointsPerSec,
    ml?.history.loadPointsPerSec,
  )
  if (ml === undefined || ml.history.pointsLoaded === lb.history.pointsLoaded) {
    down(
      '(d) history read total ms (25,000/page, incl. client JSON.parse)',
      lb.history.medianTotalMs,
      ml?.history.medianTotalMs,
    )
    down(
      '(d) history read HTTP-only ms (sum of page latencies)',
      lb.history.medianHttpMs,
      ml?.history.medianHttpMs,
    )
  } else {
    rows.push({
      figure: '(d) history read total ms',
      logbook: lb.history.medianTotalMs,
      mlflow: ml.history.medianTotalMs,
      ratio: '',
      ratioKind: 'different sizes',
    })
    rows.push({
      figure: '(d) history read HTTP-only ms',
      logbook: lb.history.medianHttpMs,
      mlflow: ml.history.medianHttpMs,
      ratio: '',
      ratioKind: 'different sizes',
    })
  }
  up('(d) history read points/s', lb.history.readPointsPerSec, ml?.history.readPointsPerSec)
  const u = lb.historyUnordered
  if (u) {
    const figure = `(d') Logbook only: read of ${u.pointsLoaded} points loaded by 4 concurrent writers, ms`
    rows.push({ figure, logbook: u.medianTotalMs, mlflow: '', ratio: '', ratioKind: '' })
  }
  return rows
}

export function evaluateTargets(
  cfg: BenchConfig,
  lb: ServerResult,
  ml: ServerResult | undefined,
  rss: RssResult,
): Target[] {
  const out: Target[] = []
  const sqlite = cfg.backend === 'sqlite'
  const ingestRatio = ml ? lb.ingest.pointsPerSec / ml.ingest.pointsPerSec : Number.NaN
  out.push({
    target: 'ingest >= 50x MLflow',
    measured: ml
      ? `${round(ingestRatio, 1)}x (${lb.ingest.pointsPerSec} vs ${ml.ingest.pointsPerSec} points/s)`
      : 'MLflow not run',
    met: ml ? ingestRatio >= 50 : 'n/a',
  })
  out.push({
    target: 'ingest >= 300,000 points/s on SQLite',
    measured: `${lb.ingest.pointsPerSec} points/s on ${cfg.backend}`,
    met: sqlite ? lb.ingest.pointsPerSec >= 300_000 : 'n/a',
    note: sqlite ? undefined : 'target is for SQLite; shown for reference',
  })
  out.push({
    target: 'single log-metric p50 < 2 ms',
    measured: `${lb.logMetric.latencyMs.p50} ms`,
    met: lb.logMetric.latencyMs.p50 < 2,
  })
  const common = ml
    ? lb.search.checkpoints
        .filter((c) => ml.search.checkpoints.some((d) => d.runs === c.runs))
        .at(-1)
    : undefined
  const theirs = ml?.search.checkpoints.find((d) => d.runs === common?.runs)
  for (const [i, q] of (common ?? lb.search.checkpoints.at(-1))?.queries.entries() ?? []) {
    const other = theirs?.queries[i]
    const x = other ? other.latencyMs.p50 / q.latencyMs.p50 : Number.NaN
    const size = common?.runs ?? 0
    out.push({
      target: `search >= 20x faster than MLflow [${q.name}]`,
      measured: other
        ? `${round(x, 1)}x at ${size} runs (median ${q.latencyMs.p50} vs ${other.latencyMs.p50} ms)`
        : 'no common size',
      met: other ? x >= 20 : 'n/a',
      note:
        other && size < lb.search.runsTarget
          ? `MLflow held ${ml?.search.runsPopulated} runs after ${ml?.search.populateSeconds} s; compared at the largest size both reached`
          : ml?.search.runsInsertedDirectly
            ? `MLflow's API created ${(ml.search.runsPopulated ?? 0) - ml.search.runsInsertedDirectly} runs in ${ml.search.populateSeconds} s; the other ${ml.search.runsInsertedDirectly} were written into its tables with the same values`
            : undefined,
    })
  }
  const h = lb.history
  out.push({
    target: '1M-point history < 1.5 s',
    // Judged on the 40 HTTP round trips; the client's own JSON.parse is shown but not counted.
    measured: `${h.medianHttpMs} ms over HTTP for ${h.pointsLoaded} points (${h.medianTotalMs} ms with the client's JSON.parse)`,
    met:
      h.pointsLoaded === 1_000_000 && h.reads.every((r) => r.verified)
        ? h.medianHttpMs < 1500
        : 'n/a',
    note: h.pointsLoaded === 1_000_000 ? undefined : `only ${h.pointsLoaded} points in this run`,
  })
  out.push({
    target: 'server RSS < 300 MB while ingesting 10M points',
    measured: `peak ${Math.max(rss.vmHwmMb, rss.peakSampledRssMb)} MB over ${rss.ingest.points} points`,
    met:
      rss.ingest.points >= 10_000_000 ? Math.max(rss.vmHwmMb, rss.peakSampledRssMb) < 300 : 'n/a',
    note:
      rss.ingest.points >= 10_000_000
        ? undefined
        : `only ${rss.ingest.points} points ingested (quick mode or time bound)`,
  })
  return out
}
