/**
 * metrics/sampled on the step axis with and without metric_blocks, and the log-batch CPU the block
 * upkeep costs, on SQLite. The baseline is another copy of the source tree (`--baseline <dir>`,
 * e.g. this tree with sql/sampled-metrics.ts from before the block path and the
 * recordMetricBlocks call removed from sql/metric-writer.ts); both stores are loaded in this one
 * process so their runs interleave (A/B) on the same database file.
 *
 *   npx tsx bench/sampled-blocks.ts --baseline /tmp/ab --db /tmp/blocks.db [--big-runs 10] [--reps 5] [--batches 500]
 *   --quick: 1 x 100k, 10 x 10k, 2 x 100k points and 100 batches (a smoke run)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { parseRunFilter } from '../packages/core/src/index.ts'
import * as current from '../packages/store/src/index.ts'
import { fillSeries } from './fixtures/large-experiment.ts'
import { round } from './stats.ts'

type StoreModule = typeof current
type Store = Awaited<ReturnType<StoreModule['createSqlTrackingStore']>>

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    db: { type: 'string' },
    'big-runs': { type: 'string', default: '10' },
    reps: { type: 'string', default: '5' },
    batches: { type: 'string' },
  },
})
const quick = args.quick ?? false
const oneM = quick ? 100_000 : 1_000_000
const tenRuns = quick ? 10_000 : 100_000
const bigRuns = quick ? 2 : Number(args['big-runs'])
const reps = Number(args.reps)
const batches = Number(args.batches ?? (quick ? 100 : 500))
const baseline: StoreModule | undefined = args.baseline
  ? ((await import(pathToFileURL(resolve(args.baseline, 'packages/store/src/index.ts')).href)) as StoreModule)
  : undefined
const log = (m: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`)
const options = { defaultArtifactRoot: 'mlflow-artifacts:' }
const dir = mkdtempSync(join(tmpdir(), 'logbook-blocks-bench-'))
const file = args.db ?? join(dir, 'logbook.db')

async function open(mod: StoreModule, path: string): Promise<Store> {
  return mod.createSqlTrackingStore(mod.openAdapter(`sqlite:///${path}`), options)
}

const ms = (xs: number[]) => {
  xs.sort((a, b) => a - b)
  return `${round(xs[0] as number, 1)} / ${round(xs[Math.floor(xs.length / 2)] as number, 1)} / ${round(xs[xs.length - 1] as number, 1)}`
}

/** Step-axis sampled series, A (blocks) and B (baseline) alternating; ms min / median / max. */
async function sampled(stores: [string, Store][], name: string, runIds: string[], key: string, range?: [number, number]) {
  const times = new Map(stores.map(([label]) => [label, [] as number[]]))
  const check = new Map<string, string>()
  for (let i = 0; i <= reps; i++) {
    for (const [label, s] of stores) {
      const t = performance.now()
      const res = await s.sampledMetrics({ runIds, metricKey: key, xAxis: 'step', buckets: 1000, minX: range?.[0], maxX: range?.[1] })
      if (i > 0) times.get(label)?.push(performance.now() - t)
      check.set(label, `${res.reduce((a, b) => a + b.total_points, 0)} points -> ${res.reduce((a, b) => a + b.x.length, 0)} buckets`)
    }
  }
  for (const [label] of stores) log(`| ${name} | ${label} | ${ms(times.get(label) ?? [])} | ${check.get(label)} |`)
}

/** CPU per 1,000-point log-batch (10 keys x 100 steps), A and B interleaved batch by batch. */
async function batchCpu(mods: [string, StoreModule][]) {
  const stores: [string, Store, string, number][] = []
  for (const [label, mod] of mods) {
    const s = await open(mod, join(dir, `cpu-${label}.db`))
    stores.push([label, s, (await s.createRun({ tags: [] })).info.run_id, 0])
  }
  const cpu = new Map(mods.map(([label]) => [label, 0]))
  for (let b = 0; b < batches + 20; b++) {
    for (const entry of stores) {
      const [label, s, runId] = entry
      const metrics = []
      for (let k = 0; k < 10; k++) for (let i = 0; i < 100; i++) metrics.push({ key: `m${k}`, step: b * 100 + i, timestamp: 1_700_000_000_000 + b * 100 + i, value: Math.sin(b + i + k) })
      const u = process.cpuUsage()
      await s.logBatch(runId, { metrics, params: [], tags: [] })
      const d = process.cpuUsage(u)
      if (b >= 20) cpu.set(label, (cpu.get(label) ?? 0) + (d.user + d.system) / 1000)
    }
  }
  for (const [label, s] of stores) {
    log(`| log-batch CPU per 1,000-point batch (${batches} batches) | ${label} | ${round((cpu.get(label) ?? 0) / batches, 3)} ms |`)
    await s.close()
  }
}

const a = await open(current, file)
try {
  let exp = (await a.getExperimentByName('blocks-bench'))?.experiment_id
  exp ??= await a.createExperiment('blocks-bench')
  const ids = async (key: string) =>
    (await a.runsTable({ experimentIds: [exp], filter: parseRunFilter(`attributes.run_name LIKE '${key}-%'`), orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 100, columns: { params: [], metrics: [], tags: [] }, parentsOnly: false })).runs.map((r) => r.run_id)
  for (const [key, runs, points] of [['one', 1, oneM], ['ten', 10, tenRuns], ['big', bigRuns, oneM]] as const) {
    const have = (await ids(key)).length
    if (have >= runs) continue
    const t = performance.now()
    await fillSeries(a, { experimentId: exp, runs: runs - have, points, key })
    log(`filled ${runs} x ${points} points of '${key}' in ${round((performance.now() - t) / 1000, 1)} s`)
  }
  const b = baseline ? await open(baseline, file) : undefined
  const stores: [string, Store][] = [['blocks', a], ...(b ? [['baseline', b] as [string, Store]] : [])]
  log('| query | store | ms min / median / max | result |')
  await sampled(stores, `1 run x ${oneM}, step`, await ids('one'), 'one')
  await sampled(stores, `1 run x ${oneM}, zoom 10%`, await ids('one'), 'one', [oneM / 2 + 17, oneM / 2 + oneM / 10])
  await sampled(stores, `10 runs x ${tenRuns}, step`, await ids('ten'), 'ten')
  await sampled(stores, `${bigRuns} runs x ${oneM}, step`, (await ids('big')).slice(0, bigRuns), 'big')
  await b?.close()
  await batchCpu([['blocks', current], ...(baseline ? [['baseline', baseline] as [string, StoreModule]] : [])])
  log(`load average (1/5/15 min): ${loadavg().map((l) => round(l, 1)).join(' / ')}`)
} finally {
  await a.close()
  rmSync(dir, { recursive: true, force: true })
}
