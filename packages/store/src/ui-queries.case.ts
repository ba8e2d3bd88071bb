import { afterEach, beforeEach, expect, it } from 'vitest'
import { parseRunFilter, parseRunTableOrderBy, type Metric } from '@logbook/core'
import type { LogbookStore } from './logbook-store.ts'
import type { RunTableQuery, SampledSeries } from './ui-queries.ts'
import { expectCode } from './runs.case.ts'
import { snappedWidth } from './sql/sampled-blocks.ts'

type Point = { step: number; timestamp: number; value: number }

/**
 * Brute-force reference of metrics/sampled for one series (UI-API.md §4). On the step axis, wide
 * buckets are whole blocks (sql/sampled-blocks.ts): bucket = floor(step / width).
 */
function reference(points: Point[], axis: 'step' | 'timestamp', buckets: number, minX?: number, maxX?: number) {
  const xOf = (p: Point) => (axis === 'step' ? p.step : p.timestamp)
  const tie = (p: Point) => (axis === 'step' ? p.timestamp : p.step)
  const inRange = points
    .filter((p) => (minX === undefined || xOf(p) >= minX) && (maxX === undefined || xOf(p) <= maxX))
    .sort((a, b) => xOf(a) - xOf(b) || tie(a) - tie(b) || a.value - b.value)
  const raw = inRange.length <= buckets
  const lo = minX ?? Math.min(...inRange.map(xOf))
  const span = (maxX ?? Math.max(...inRange.map(xOf))) - lo + 1
  const width = axis === 'step' ? snappedWidth(lo, lo + span - 1, buckets) : undefined
  const groups = new Map<number, Point[]>()
  inRange.forEach((p, i) => {
    const b = raw ? i : width ? Math.floor(xOf(p) / width) : Math.floor(((xOf(p) - lo) * buckets) / span)
    groups.set(b, [...(groups.get(b) ?? []), p])
  })
  const out = { total_points: inRange.length, sampled: !raw, x: [] as number[], min: [] as number[], max: [] as number[], last: [] as number[], count: [] as number[] }
  for (const [, g] of [...groups].sort((a, b) => a[0] - b[0])) {
    const finite = g.filter((p) => !Number.isNaN(p.value)).map((p) => p.value)
    out.x.push(xOf(g[0] as Point))
    out.min.push(finite.length ? Math.min(...finite) : Number.NaN)
    out.max.push(finite.length ? Math.max(...finite) : Number.NaN)
    out.last.push((g[g.length - 1] as Point).value)
    out.count.push(g.length)
  }
  return out
}

/**
 * The timestamp axis of an ordered series (sql/sampled-ordered-time.ts): the step axis's buckets
 * over the steps whose points lie in [minX, maxX], each at its first point's timestamp.
 */
function orderedTimeReference(points: Point[], buckets: number, minX?: number, maxX?: number) {
  const inRange = points.filter((p) => (minX === undefined || p.timestamp >= minX) && (maxX === undefined || p.timestamp <= maxX))
  const steps = inRange.map((p) => p.step)
  const byStep = reference(inRange, 'step', buckets, minX === undefined ? undefined : Math.min(...steps), maxX === undefined ? undefined : Math.max(...steps))
  const first = (step: number) => Math.min(...inRange.filter((p) => p.step === step).map((p) => p.timestamp))
  return { ...byStep, x: byStep.x.map(first) }
}

/** Cases of the UI's store queries, run once per backend. */
export function uiQueryCases(fresh: () => Promise<LogbookStore>): void {
  let store: LogbookStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })

  const metric = (key: string, value: number, step = 0, timestamp = 1000): Metric => ({ key, value, step, timestamp })
  const table = (q: Partial<RunTableQuery> & { experimentIds: string[] }) =>
    store.runsTable({ orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 100, columns: { params: [], metrics: [], tags: [] }, parentsOnly: false, ...q })

  async function seedTable() {
    const exp = await store.createExperiment('table')
    const ids: string[] = []
    const losses = [0.5, 0.1, Number.NaN, 0.3]
    for (let i = 0; i < 4; i++) {
      const run = await store.createRun({ experimentId: exp, runName: `r${i}`, startTime: 1000 + i, tags: [{ key: 'team', value: i % 2 ? 'a' : 'b' }] })
      ids.push(run.info.run_id)
      await store.logBatch(run.info.run_id, {
        metrics: [metric('loss', 2 - i, 0), metric('loss', losses[i] as number, 1)],
        params: [{ key: 'lr', value: `0.${i}` }, { key: 'opt', value: i < 3 ? 'adam' : 'sgd' }],
        tags: [],
      })
    }
    const child = await store.createRun({ experimentId: exp, runName: 'child', startTime: 999, tags: [{ key: 'mlflow.parentRunId', value: ids[0] as string }] })
    return { exp, ids, child: child.info.run_id }
  }

  it('runs/table: pages one order with the asked columns, total, parent and child count', async () => {
    const { exp, ids, child } = await seedTable()
    const page = await table({
      experimentIds: [exp],
      orderBy: parseRunTableOrderBy(['metrics.loss DESC']),
      columns: { params: ['lr'], metrics: ['loss'], tags: ['team'] },
      maxResults: 2,
    })
    // Values first (0.5, 0.3, 0.1), then NaN, then runs without the metric.
    expect(page.runs.map((r) => r.run_name)).toEqual(['r0', 'r3'])
    expect(page.total).toBe(5)
    const r0 = page.runs[0]
    expect(r0).toMatchObject({ run_id: ids[0], experiment_id: exp, status: 'RUNNING', parent_run_id: null, child_count: 1, params: { lr: '0.0' }, tags: { team: 'b' } })
    expect(r0?.metrics.loss).toEqual({ last: 0.5, min: 0.5, max: 2, step: 1, timestamp: 1000 })
    expect(Object.keys(r0?.params ?? {})).toEqual(['lr'])
    const next = await table({ experimentIds: [exp], orderBy: parseRunTableOrderBy(['metrics.loss DESC']), columns: { params: [], metrics: ['loss'], tags: [] }, maxResults: 2, pageToken: page.nextPageToken })
    expect(next.runs.map((r) => r.run_name)).toEqual(['r1', 'r2'])
    expect(next.runs[1]?.metrics.loss?.last).toBeNaN()
    expect(next.runs[1]?.metrics.loss?.min).toBe(0)
    const last = await table({ experimentIds: [exp], orderBy: parseRunTableOrderBy(['metrics.loss DESC']), maxResults: 2, pageToken: next.nextPageToken })
    expect(last.runs.map((r) => [r.run_id, r.parent_run_id])).toEqual([[child, ids[0]]])
    expect(last.nextPageToken).toBeUndefined()
    const parents = await table({ experimentIds: [exp], parentsOnly: true })
    expect(parents.total).toBe(4)
    expect(parents.runs.map((r) => r.run_name)).toEqual(['r3', 'r2', 'r1', 'r0'])
  })

  it('runs/table: min()/max() order, filters with OR, view types', async () => {
    const { exp, ids } = await seedTable()
    const byMin = await table({ experimentIds: [exp], orderBy: parseRunTableOrderBy(['min(metrics.loss) ASC']) })
    // Minimums: r0 0.5, r1 0.1, r2 0 (NaN skipped), r3 -1 (step 0 value 2-3); child has none.
    expect(byMin.runs.map((r) => r.run_name)).toEqual(['r3', 'r2', 'r1', 'r0', 'child'])
    const byMax = await table({ experimentIds: [exp], orderBy: parseRunTableOrderBy(['max(metrics.`loss`) DESC']) })
    expect(byMax.runs.map((r) => r.run_name)).toEqual(['r0', 'r1', 'r3', 'r2', 'child'])
    const filtered = await table({
      experimentIds: [exp],
      filter: parseRunFilter("metrics.loss < 0.2 OR params.opt = 'sgd'"),
      orderBy: parseRunTableOrderBy(['params.lr DESC']),
    })
    expect(filtered.runs.map((r) => r.run_name)).toEqual(['r3', 'r1'])
    expect(filtered.total).toBe(2)
    await store.deleteRun(ids[1] as string)
    expect((await table({ experimentIds: [exp], viewType: 'DELETED_ONLY' })).runs.map((r) => r.run_name)).toEqual(['r1'])
    expect((await table({ experimentIds: [exp], viewType: 'ALL' })).total).toBe(5)
    expect((await table({ experimentIds: [exp] })).total).toBe(4)
    await expectCode(table({ experimentIds: [exp], pageToken: 'garbage' }), 'INVALID_PARAMETER_VALUE')
    await expectCode(table({ experimentIds: ['abc'] }), 'INVALID_PARAMETER_VALUE')
  })

  it('runs/groups: counts and latest-value aggregates per param or tag value, NaN skipped', async () => {
    const { exp } = await seedTable()
    const groups = await store.runGroups({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', groupBy: { entity: 'param', key: 'opt' }, metrics: ['loss', 'nope'] })
    // Count descending; equal counts by value, runs without the param last.
    expect(groups.map((g) => [g.value, g.count])).toEqual([['adam', 3], ['sgd', 1], [null, 1]])
    const adam = groups[0]?.metrics.loss
    expect(adam?.min).toBeCloseTo(0.1)
    expect(adam?.max).toBeCloseTo(0.5)
    expect(adam?.mean).toBeCloseTo(0.3)
    expect(groups[2]?.metrics).toEqual({})
    expect(groups[1]?.metrics.loss).toEqual({ mean: 0.3, min: 0.3, max: 0.3 })
    const byTeam = await store.runGroups({
      experimentIds: [exp], viewType: 'ALL', filter: parseRunFilter("params.opt = 'adam'"), groupBy: { entity: 'tag', key: 'team' }, metrics: [],
    })
    expect(byTeam).toEqual([{ value: 'b', count: 2, metrics: {} }, { value: 'a', count: 1, metrics: {} }])
  })

  it('experiments/keys: distinct sorted keys of active and deleted runs, per experiment', async () => {
    const { exp, ids } = await seedTable()
    const other = await store.createExperiment('other')
    const o = await store.createRun({ experimentId: other, tags: [] })
    await store.logBatch(o.info.run_id, { metrics: [metric('other_m', 1)], params: [{ key: 'other_p', value: '1' }], tags: [] })
    await store.logBatch(ids[2] as string, { metrics: [metric('acc', 1)], params: [], tags: [{ key: 'z', value: '' }] })
    await store.deleteRun(ids[2] as string)
    // A rejected batch (changed param) records nothing.
    await expectCode(store.logBatch(ids[0] as string, { metrics: [metric('ghost', 1)], params: [{ key: 'lr', value: '9' }], tags: [] }), 'INVALID_PARAMETER_VALUE')
    const keys = await store.experimentKeys([exp])
    expect(keys.params).toEqual(['lr', 'opt'])
    expect(keys.metrics).toEqual(['acc', 'loss'])
    expect(keys.tags).toEqual(['mlflow.parentRunId', 'mlflow.runName', 'team', 'z'])
    const both = await store.experimentKeys([exp, other])
    expect(both.params).toEqual(['lr', 'opt', 'other_p'])
    expect(both.metrics).toEqual(['acc', 'loss', 'other_m'])
    expect(await store.experimentKeys(['424242'])).toEqual({ params: [], metrics: [], tags: [] })
  })

  async function seriesRun(points: Point[], key = 'loss'): Promise<string> {
    const run = await store.createRun({ tags: [] })
    for (let i = 0; i < points.length; i += 1000) {
      await store.logBatch(run.info.run_id, { metrics: points.slice(i, i + 1000).map((p) => ({ key, ...p })), params: [], tags: [] })
    }
    return run.info.run_id
  }

  const expectSeries = (actual: SampledSeries | undefined, expected: ReturnType<typeof reference>) => {
    expect(actual).toBeDefined()
    expect({ ...actual, run_id: undefined, metric_key: undefined }).toEqual({ ...expected, run_id: undefined, metric_key: undefined })
  }

  it('metrics/sampled: equal step ranges with min/max without NaN and the last point, per run', async () => {
    // Uneven spacing, repeated steps with several timestamps, NaN and infinities.
    const points: Point[] = []
    for (let i = 0; i < 3000; i++) {
      const step = Math.floor(i * 1.7)
      const value = i % 97 === 0 ? Number.NaN : i === 1500 ? Number.POSITIVE_INFINITY : Math.sin(i) * 10
      points.push({ step, timestamp: 5000 + i, value })
      if (i % 500 === 0) points.push({ step, timestamp: 4000 + i, value: -i - 1 })
    }
    // The last point of the series is NaN: `last` must say so.
    points.push({ step: 6000, timestamp: 99999, value: Number.NaN })
    const a = await seriesRun(points)
    const b = await seriesRun(points.slice(0, 50))
    const none = await seriesRun([{ step: 0, timestamp: 1, value: 1 }], 'other')
    const q = { metricKey: 'loss', xAxis: 'step' as const, buckets: 100 }
    const res = await store.sampledMetrics({ ...q, runIds: [b, none, a, 'ffffffffffffffffffffffffffffffff'] })
    expect(res.map((s) => s.run_id)).toEqual([b, a])
    expectSeries(res[0], reference(points.slice(0, 50), 'step', 100))
    expect(res[0]?.sampled).toBe(false)
    expectSeries(res[1], reference(points, 'step', 100))
    expect(res[1]?.sampled).toBe(true)
    expect(res[1]?.last.at(-1)).toBeNaN()
    // Exactly `buckets` stored points are the raw points, one bucket fewer samples them; points
    // logged again (exact duplicates) are not stored twice and do not count.
    await store.logBatch(b, { metrics: points.slice(0, 50).map((p) => ({ key: 'loss', ...p })), params: [], tags: [] })
    const at = async (buckets: number) => (await store.sampledMetrics({ ...q, runIds: [b], buckets }))[0]
    expect(await at(50)).toMatchObject({ sampled: false, total_points: 50 })
    expect(await at(49)).toMatchObject({ sampled: true, total_points: 50 })
    for (const [minX, maxX, buckets] of [[100, 2000, 37], [3, 3, 10], [1000, undefined, 7], [undefined, 50, 1], [0, 5099, 5000]] as const) {
      const [zoomed] = await store.sampledMetrics({ ...q, runIds: [a], minX, maxX, buckets })
      expectSeries(zoomed, reference(points, 'step', buckets, minX, maxX))
    }
    const [empty] = await store.sampledMetrics({ ...q, runIds: [a], minX: 7000, maxX: 8000 })
    expect(empty).toMatchObject({ run_id: a, total_points: 0, sampled: false, x: [] })
    expect(await store.sampledMetrics({ ...q, metricKey: 'never', runIds: [a] })).toEqual([])
  })

  it('metrics/sampled: wide step buckets from block summaries equal the points', async () => {
    // Negative steps, a NaN-only block (steps 5120..5375), repeated steps with other timestamps,
    // infinities (-Infinity the last point of block 40).
    const points: Point[] = []
    for (let step = -2000; step < 30_000; step += 3) {
      const value = step >= 5120 && step < 5376 ? Number.NaN : step % 1001 === 0 ? Number.NaN : step === 9001 ? Infinity : step === 10_495 ? -Infinity : Math.sin(step) * 100
      points.push({ step, timestamp: 1_000_000 + step, value })
      if (step % 700 === 0) points.push({ step, timestamp: 900_000 + step, value: step })
    }
    const key = (p: Point) => `${p.step}:${p.timestamp}:${p.value}`
    const run = await store.createRun({ tags: [] })
    const log = (batch: Point[]) => store.logBatch(run.info.run_id, { metrics: batch.map((p) => ({ key: 'loss', ...p })), params: [], tags: [] })
    // Second half first, then the first half into old blocks, batches of 1,000 out of order.
    const half = Math.floor(points.length / 2)
    for (let i = half; i < points.length; i += 1000) await log(points.slice(i, Math.min(i + 1000, points.length)))
    for (let i = 0; i < half; i += 1000) await log(points.slice(i, Math.min(i + 1000, half)).reverse())
    // Exact duplicates, stored and within one batch; new points at stored steps of old blocks.
    await log(points.slice(3000, 3500))
    await log([...points.slice(100, 120), ...points.slice(100, 120)])
    const late = [-1999, 0, 4000, 5200, 5201].map((step, i) => ({ step, timestamp: 2_000_000 + i, value: step === 5201 ? Number.NaN : -500 - i }))
    await log([...late, ...late])
    const all = [...new Map([...points, ...late].map((p) => [key(p), p])).values()]
    const cases: [number | undefined, number | undefined, number][] = [
      [undefined, undefined, 5], [undefined, undefined, 8], [-1000 + 37, 25_011, 6], [1000, 20_000, 4], [5200, 29_000, 3], [-100, 2000, 50],
      // Whole coarse blocks (1,024 steps, migration 0007): open ends, and a zoom on coarse boundaries.
      [undefined, undefined, 12], [2048, 20_479, 5], [-2048, 4095, 3],
      // One coarse block a bucket (read without grouping).
      [undefined, undefined, 40], [2048, 20_479, 20],
    ]
    for (const [minX, maxX, buckets] of cases) {
      const [series] = await store.sampledMetrics({ runIds: [run.info.run_id], metricKey: 'loss', xAxis: 'step', buckets, minX, maxX })
      const expected = reference(all, 'step', buckets, minX, maxX)
      expectSeries(series, expected)
      expect(series?.x.length).toBeLessThanOrEqual(buckets)
    }
    // The cases above take the block path except the narrow one; the last three the coarse level.
    expect(snappedWidth(-2000, 29_998, 12)! % 1024).toBe(0)
    expect(snappedWidth(2048, 20_479, 5)! % 1024).toBe(0)
    expect(snappedWidth(-2048, 4095, 3)! % 1024).toBe(0)
    expect(snappedWidth(-2000, 29_998, 40)).toBe(1024)
    expect(snappedWidth(2048, 20_479, 20)).toBe(1024)
    expect(snappedWidth(-2000, 29_998, 8)).toBeDefined()
    expect(snappedWidth(1000, 20_000, 4)).toBeDefined()
    expect(snappedWidth(-100, 2000, 50)).toBeUndefined()
  })

  it('metrics/sampled: block buckets of a sparse series (buckets whose final block is missing)', async () => {
    // Steps 700 apart: most buckets of whole blocks lack the block at their final slot, so their
    // last point comes from a later lookup; some of those last points are NaN or infinite.
    const points: Point[] = []
    for (let i = 0; i < 400; i++) {
      const value = i % 9 === 0 ? Number.NaN : i % 31 === 0 ? -Infinity : Math.cos(i) * 5
      points.push({ step: i * 700 - 3500, timestamp: 7000 + i, value })
    }
    const id = await seriesRun(points)
    const cases: [number | undefined, number | undefined, number][] = [
      [undefined, undefined, 20], [undefined, undefined, 101], [0, 200_000, 37], [-3000, 100_000, 9],
      [undefined, undefined, 300],
    ]
    for (const [minX, maxX, buckets] of cases) {
      const lo = minX ?? -3500
      expect(snappedWidth(lo, maxX ?? 275_800, buckets)).toBeDefined()
      const [series] = await store.sampledMetrics({ runIds: [id], metricKey: 'loss', xAxis: 'step', buckets, minX, maxX })
      expectSeries(series, reference(points, 'step', buckets, minX, maxX))
    }
    expect(snappedWidth(-3500, 275_800, 300)).toBe(1024)
  })

  it('metrics/sampled: timestamp axis', async () => {
    const points: Point[] = []
    for (let i = 0; i < 2000; i++) {
      // Timestamps not in step order, some shared by several steps.
      points.push({ step: i, timestamp: 10_000 + ((i * 7919) % 2000) * 3 - (i % 5 === 0 ? 1 : 0), value: i % 13 === 0 ? Number.NaN : (i % 101) - 50 })
    }
    points.push({ step: 5000, timestamp: 10_000, value: 77 })
    const id = await seriesRun(points)
    const q = { metricKey: 'loss', xAxis: 'timestamp' as const, runIds: [id] }
    for (const [minX, maxX, buckets] of [[undefined, undefined, 100], [11_000, 13_000, 33], [10_000, 10_003, 1000], [undefined, undefined, 5000]] as const) {
      const [series] = await store.sampledMetrics({ ...q, buckets, minX, maxX })
      expectSeries(series, reference(points, 'timestamp', buckets, minX, maxX))
    }
  })

  it('metrics/sampled: timestamp axis of an ordered series, from the step buckets', async () => {
    // Timestamps rise with steps, unevenly (a pause after step 20,000); two points at step 9,000.
    const points: Point[] = []
    for (let step = 0; step < 40_000; step += 2) {
      const value = step % 1001 === 0 ? Number.NaN : step === 30_000 ? Infinity : Math.sin(step / 300) * 10
      points.push({ step, timestamp: 5_000_000 + step * 3 + (step > 20_000 ? 500_000 : 0), value })
    }
    points.push({ step: 9000, timestamp: 5_000_000 + 9000 * 3 + 1, value: 42 })
    const id = await seriesRun(points)
    const q = { metricKey: 'loss', xAxis: 'timestamp' as const, runIds: [id] }
    const t = (step: number) => 5_000_000 + step * 3
    const cases: [number | undefined, number | undefined, number][] = [
      [undefined, undefined, 40], [undefined, undefined, 300], [t(1000), undefined, 25], [undefined, t(30_000) + 500_000, 60],
      [t(2001), t(15_000) - 1, 12], [t(19_000), t(21_000) + 500_000, 50],
    ]
    for (const [minX, maxX, buckets] of cases) {
      const [series] = await store.sampledMetrics({ ...q, buckets, minX, maxX })
      expectSeries(series, orderedTimeReference(points, buckets, minX, maxX))
      expect(series?.sampled).toBe(true)
    }
    // A bound between the two points of step 9,000 (every point is read), and ranges whose points
    // fit in the buckets (the points themselves, both of step 9,000 included).
    for (const [minX, maxX, buckets] of [[t(9000) + 1, undefined, 30], [t(100), t(200), 1000], [t(8990), t(9010), 1000], [undefined, undefined, 30_000]] as const) {
      const [series] = await store.sampledMetrics({ ...q, buckets, minX, maxX })
      expectSeries(series, reference(points, 'timestamp', buckets, minX, maxX))
    }
    // Past the last point.
    expect(await store.sampledMetrics({ ...q, minX: 9_000_000, buckets: 10 })).toMatchObject([{ total_points: 0, x: [] }])
  })
}
