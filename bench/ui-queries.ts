/**
 * Timings of the UI support queries on a SQLite store filled in bulk: runs/table (first page by a
 * metric, by min(metric), with a filter), experiments/keys, runs/groups and metrics/sampled.
 *
 *   npx tsx bench/ui-queries.ts            # 100,000 runs x 50 params x 20 metrics, 1 x 1M and 10 x 100k points
 *   npx tsx bench/ui-queries.ts --quick    # 2,000 runs, 1 x 100k and 10 x 10k points (a smoke run)
 *   npx tsx bench/ui-queries.ts --big-runs 50   # also 50 runs x 1M points (about 50M points to fill)
 *   --db <file> keeps the database (a second run with the same file skips the fill)
 *   --postgres runs the same on a throwaway PostgreSQL cluster (Debian's binaries) instead of SQLite
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { parseRunFilter, parseRunTableOrderBy } from '../packages/core/src/index.ts'
import { createSqlTrackingStore, openAdapter, type LogbookStore } from '../packages/store/src/index.ts'
import { readBlocks } from '../packages/store/src/sql/metric-chunks.ts'
import { startPostgresCluster } from '../packages/store/src/testing/postgres-cluster.ts'
import { fillLargeExperiment, fillSeries } from './fixtures/large-experiment.ts'
import { round } from './stats.ts'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    db: { type: 'string' },
    'big-runs': { type: 'string', default: '0' },
    reps: { type: 'string', default: '5' },
  },
})
const quick = args.quick ?? false
const size = quick
  ? { runs: 2_000, params: 50, metrics: 20, oneM: 100_000, tenRuns: 10_000 }
  : { runs: 100_000, params: 50, metrics: 20, oneM: 1_000_000, tenRuns: 100_000 }
const bigRuns = Number(args['big-runs'])
const reps = Number(args.reps)

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

const rows: string[] = []
async function time(name: string, fn: () => Promise<unknown>, check: (r: never) => string): Promise<void> {
  let result: unknown = await fn() // warm-up, and the result for the check column
  const ms: number[] = []
  for (let i = 0; i < reps; i++) {
    const t = performance.now()
    result = await fn()
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  const line = `| ${name} | ${round(ms[0] as number, 1)} / ${round(ms[Math.floor(ms.length / 2)] as number, 1)} / ${round(ms[ms.length - 1] as number, 1)} | ${check(result as never)} |`
  rows.push(line)
  log(line)
}

const cluster = args.postgres ? await startPostgresCluster() : undefined
const dir = args.db || cluster ? undefined : mkdtempSync(join(tmpdir(), 'logbook-ui-bench-'))
const file = args.db ?? join(dir ?? '', 'logbook.db')
const reuse = !cluster && existsSync(file)
const adapter = openAdapter(cluster ? cluster.url : `sqlite:///${file}`)
const backend = cluster ? 'PostgreSQL' : 'SQLite'
const store: LogbookStore = await createSqlTrackingStore(adapter, { defaultArtifactRoot: 'mlflow-artifacts:' })
try {
  const name = `ui-bench-${size.runs}`
  let exp = (await store.getExperimentByName(name))?.experiment_id
  if (!reuse || exp === undefined) {
    const t = performance.now()
    const filled = await fillLargeExperiment(store, {
      adapter, name, runs: size.runs, params: size.params, metrics: size.metrics,
      onProgress: (n) => { if (n % 10_000 === 0 || n === size.runs) log(`filled ${n} runs`) },
    })
    exp = filled.experimentId
    log(`fill: ${size.runs} runs x ${size.params} params x ${size.metrics} metrics in ${round((performance.now() - t) / 1000, 1)} s`)
  }
  const experimentId = exp
  const seriesRuns = async (key: string) =>
    (await store.runsTable({ experimentIds: [experimentId], filter: parseRunFilter(`attributes.run_name LIKE '${key}-%'`), orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 100, columns: { params: [], metrics: [], tags: [] }, parentsOnly: false })).runs.map((r) => r.run_id)
  // Series are logged through store.logBatch, once per database (a reused --db keeps them).
  for (const [key, runs, points] of [['one', 1, size.oneM], ['ten', 10, size.tenRuns], ['big', bigRuns, size.oneM]] as const) {
    if (runs === 0 || (await seriesRuns(key)).length >= runs) continue
    const t = performance.now()
    await fillSeries(store, { experimentId, runs, points, key })
    log(`${runs} x ${points} points of '${key}' logged through store.logBatch in ${round((performance.now() - t) / 1000, 1)} s`)
  }
  const table = (orderBy: string[], filter?: string) => () =>
    store.runsTable({
      experimentIds: [exp], filter: parseRunFilter(filter), orderBy: parseRunTableOrderBy(orderBy), viewType: 'ACTIVE_ONLY', maxResults: 100,
      columns: { params: ['p00', 'p01', 'p02'], metrics: ['m00', 'm01', 'm02'], tags: ['team'] }, parentsOnly: false,
    })
  const page = (r: { runs: unknown[]; total: number }) => `${r.runs.length} rows of ${r.total}`
  await time('runs/table, 100 rows, newest first', table([]), page)
  await time('runs/table, order by metrics.m00 DESC', table(['metrics.m00 DESC']), page)
  await time('runs/table, order by min(metrics.m00)', table(['min(metrics.m00) ASC']), page)
  await time("runs/table, filter m01 < 0.5 AND p00 = 'adam', order by m00", table(['metrics.m00 DESC'], "metrics.m01 < 0.5 AND params.p00 = 'adam'"), page)
  await time('experiments/keys', () => store.experimentKeys([exp]), (k: { params: unknown[]; metrics: unknown[]; tags: unknown[] }) => `${k.params.length} params, ${k.metrics.length} metrics, ${k.tags.length} tags`)
  await time('runs/groups by params.p00, 3 metrics', () => store.runGroups({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', groupBy: { entity: 'param', key: 'p00' }, metrics: ['m00', 'm01', 'm02'] }), (g: unknown[]) => `${g.length} groups`)
  await time('runs/groups by params.p02 (1000 values), 1 metric', () => store.runGroups({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', groupBy: { entity: 'param', key: 'p02' }, metrics: ['m00'] }), (g: unknown[]) => `${g.length} groups`)
  const sampled = (key: string, ids: string[], xAxis: 'step' | 'timestamp', buckets = 1000, range?: [number, number]) => () =>
    store.sampledMetrics({ runIds: ids, metricKey: key, xAxis, buckets, minX: range?.[0], maxX: range?.[1] })
  const points = (s: { total_points: number; x: unknown[] }[]) => `${s.length} series, ${s.reduce((a, b) => a + b.total_points, 0)} points -> ${s.reduce((a, b) => a + b.x.length, 0)} buckets`
  const one = await seriesRuns('one')
  const ten = await seriesRuns('ten')
  // The floor for exact min/max: every chunk of the series read and decoded, count/min/max in JS.
  const ids = (await sql<{ run: number; key: number }>`select r.id as run, k.id as key from runs r, metric_keys k
    where r.run_uuid = ${one[0] ?? ''} and k.key = 'one'`.execute(adapter.db)).rows[0]
  await time(`floor: count/min/max of the 1 x ${size.oneM}-point series from its chunks`, async () => {
    const p = await readBlocks({ adapter }, adapter.db, Number(ids?.run), Number(ids?.key))
    let lo = Infinity
    let hi = -Infinity
    for (const v of p.value) {
      if (v !== v) continue
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
    return { n: p.length, lo, hi }
  }, () => 'baseline')
  await time(`metrics/sampled, 1 run x ${size.oneM} points, 1000 buckets, step`, sampled('one', one, 'step'), points)
  await time(`metrics/sampled, 1 run, zoom to 10% of steps, 1000 buckets`, sampled('one', one, 'step', 1000, [size.oneM / 2, size.oneM / 2 + size.oneM / 10]), points)
  await time(`metrics/sampled, 10 runs x ${size.tenRuns} points, 1000 buckets, step`, sampled('ten', ten, 'step'), points)
  await time(`metrics/sampled, 1 run x ${size.oneM} points, 1000 buckets, timestamp`, sampled('one', one, 'timestamp'), points)
  await time(`metrics/sampled, 10 runs x ${size.tenRuns} points, 1000 buckets, timestamp`, sampled('ten', ten, 'timestamp'), points)
  if (bigRuns > 0) {
    const big = await seriesRuns('big')
    await time(`metrics/sampled, ${big.length} runs x ${size.oneM} points, 1000 buckets, step`, sampled('big', big, 'step'), points)
  }
  const load = loadavg().map((l) => round(l, 1)).join(' / ')
  process.stdout.write(`\nload average at the end (1/5/15 min, 2 cores): ${load}`)
  process.stdout.write(`\n${quick ? 'QUICK (smoke) run: ' : ''}${backend}, ${size.runs} runs x ${size.params} params x ${size.metrics} metrics; ms min / median / max of ${reps} after a warm-up\n\n`)
  process.stdout.write(`| query | ms | result |\n|---|---|---|\n${rows.join('\n')}\n`)
} finally {
  await store.close()
  await cluster?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
}
