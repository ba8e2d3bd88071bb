import { afterEach, beforeEach, expect, it } from 'vitest'
import { parseExperimentFilter, parseRunFilter, parseRunOrderBy, type Run } from '@logbook/core'
import type { TrackingStore } from './tracking-store.ts'
import { expectCode } from './runs.case.ts'

/** Metric history, latest values and search cases, run once per backend. */
export function metricAndSearchCases(fresh: () => Promise<TrackingStore>): void {
  let store: TrackingStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })

  const log = (id: string, metrics: { key: string; value: number; timestamp: number; step: number }[]) =>
    store.logBatch(id, { metrics, params: [], tags: [] })

  it('keeps full history, ignores exact duplicates and tracks the latest (step, timestamp, value)', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    await log(id, [
      { key: 'loss', value: 3, timestamp: 10, step: 0 },
      { key: 'loss', value: 2, timestamp: 20, step: 1 },
      { key: 'loss', value: 2, timestamp: 20, step: 1 },
    ])
    await log(id, [{ key: 'loss', value: 5, timestamp: 5, step: 1 }, { key: 'loss', value: 2, timestamp: 20, step: 1 }])
    const history = await store.getMetricHistory(id, 'loss', undefined, undefined)
    // MLflow's order is (timestamp, step, value), also once timestamps stop rising with steps.
    expect(history.items.map((m) => [m.step, m.timestamp, m.value])).toEqual([[1, 5, 5], [0, 10, 3], [1, 20, 2]])
    const run = await store.getRun(id)
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 2, timestamp: 20, step: 1 }])
    // An older step does not replace the latest value.
    await log(id, [{ key: 'loss', value: 9, timestamp: 99, step: 0 }])
    expect((await store.getRun(id)).data.metrics[0]?.value).toBe(2)
    expect((await store.getMetricHistory(id, 'nope', undefined, undefined)).items).toEqual([])
    expect((await store.getMetricHistory('ffffffffffffffffffffffffffffffff', 'loss', undefined, undefined)).items).toEqual([])
  })

  it('round-trips NaN and infinities', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    await log(id, [
      { key: 'nan', value: Number.NaN, timestamp: 1, step: 0 },
      { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 0 },
      { key: 'ninf', value: Number.NEGATIVE_INFINITY, timestamp: 1, step: 0 },
      { key: 'tiny', value: 5e-324, timestamp: 1, step: 0 },
      { key: 'pi', value: Math.PI, timestamp: 1, step: 0 },
    ])
    const values = Object.fromEntries((await store.getRun(id)).data.metrics.map((m) => [m.key, m.value]))
    expect(values).toEqual({ nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY, tiny: 5e-324, pi: Math.PI })
    expect((await store.getMetricHistory(id, 'nan', undefined, undefined)).items[0]?.value).toBeNaN()
  })

  it('pages history with keyset tokens and returns every point exactly once', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    for (let b = 0; b < 5; b++) {
      await log(id, Array.from({ length: 1000 }, (_, i) => ({ key: 'x', value: i * 0.5, timestamp: 1000 + b, step: b * 1000 + i })))
    }
    const steps: number[] = []
    let token: string | undefined
    let pages = 0
    do {
      const page = await store.getMetricHistory(id, 'x', 1500, token)
      steps.push(...page.items.map((m) => m.step))
      token = page.nextPageToken
      pages++
    } while (token && pages < 10)
    expect(pages).toBe(4)
    expect(steps).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    await expectCode(store.getMetricHistory(id, 'x', 10, 'garbage!'), 'INVALID_PARAMETER_VALUE')
  })

  it('keeps every point exact through many small writes into one block (chunks merged and compacted)', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    // 60 one-point writes into steps 0-255 (one block) in scrambled order, each also repeating the
    // first point (an exact duplicate), some at a step already stored with a new timestamp or
    // value, one NaN: the block's chunks are compacted several times along the way.
    const expected = new Map<string, [number, number, number]>()
    let first: { key: string; value: number; timestamp: number; step: number } | undefined
    for (let i = 0; i < 60; i++) {
      const step = (i * 37) % 50
      const point = { key: 'k', value: i === 13 ? Number.NaN : (i % 7) - 3, timestamp: 100 + (i % 4), step }
      await log(id, first ? [point, first] : [point])
      expected.set(`${point.step}:${point.timestamp}:${point.value}`, [point.step, point.timestamp, point.value])
      first ??= point
    }
    const want = [...expected.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (Number.isNaN(a[2]) ? 0 : a[2]) - (Number.isNaN(b[2]) ? 0 : b[2]))
    const all = await store.getMetricHistory(id, 'k', undefined, undefined)
    // Timestamps fall as steps rise here: MLflow's (timestamp, step, value) order.
    const byTime = [...want].sort((a, b) => a[1] - b[1] || a[0] - b[0] || (Number.isNaN(a[2]) ? 0 : a[2]) - (Number.isNaN(b[2]) ? 0 : b[2]))
    expect(all.items.map((m) => [m.step, m.timestamp, m.value])).toEqual(byTime)
    const paged: number[][] = []
    let token: string | undefined
    do {
      const page = await store.getMetricHistory(id, 'k', 7, token)
      paged.push(...page.items.map((m) => [m.step, m.timestamp, m.value]))
      token = page.nextPageToken
    } while (token && paged.length < 1000)
    expect(paged).toEqual(byTime)
    // A second block appended after the compactions, then the latest value and bulk interval.
    await log(id, Array.from({ length: 300 }, (_, i) => ({ key: 'k', value: i, timestamp: 1000 + i, step: 200 + i })))
    expect((await store.getRun(id)).data.metrics).toEqual([{ key: 'k', value: 299, timestamp: 1299, step: 499 }])
    const bulk = await store.getMetricHistoryBulkInterval([id], 'k', 1000)
    expect(bulk.length).toBe(expected.size + 300)
  })

  it('serves the same pages as JSON, with NaN and infinities as MLflow strings', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    const values = [0.1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.30000000000000004, -5e-324, 1e21]
    await log(id, Array.from({ length: 700 }, (_, i) => ({ key: 'j', value: values[i % values.length] as number, timestamp: 100 + i, step: i })))
    let token: string | undefined
    let jsonToken: string | undefined
    let pages = 0
    do {
      const page = await store.getMetricHistory(id, 'j', 300, token)
      const json = await store.getMetricHistoryJson(id, 'j', 300, jsonToken)
      const decoded = (JSON.parse(json.metricsJson) as { value: unknown }[]).map((m) => ({
        ...m,
        value: m.value === 'NaN' ? Number.NaN : m.value === 'Infinity' ? Infinity : m.value === '-Infinity' ? -Infinity : m.value,
      }))
      expect(decoded).toEqual(page.items)
      expect(Boolean(json.nextPageToken)).toBe(Boolean(page.nextPageToken))
      token = page.nextPageToken
      jsonToken = json.nextPageToken
      pages++
    } while (token && pages < 5)
    expect(pages).toBe(3)
    expect((await store.getMetricHistoryJson(id, 'none', 10, undefined)).metricsJson).toBe('[]')
  })

  it('pages JSON and objects alike when pages end on NaN, infinities or (step, timestamp) ties', async () => {
    const tied = (await store.createRun({ tags: [] })).info.run_id
    const odd = [Number.POSITIVE_INFINITY, Number.NaN, 0.1, Number.NEGATIVE_INFINITY, 0.30000000000000004]
    // Five values at each (step, timestamp), then a series whose timestamps fall as steps rise.
    await log(tied, Array.from({ length: 40 }, (_, i) => ({ key: 't', value: odd[i % 5] as number, timestamp: 7, step: Math.floor(i / 5) })))
    await log(tied, Array.from({ length: 30 }, (_, i) => ({ key: 'down', value: odd[i % 5] as number, timestamp: 900 - i, step: i })))
    const norm = (v: unknown) => (v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)
    for (const [key, size] of [['t', 1], ['t', 3], ['down', 2], ['down', 7]] as const) {
      const objects: unknown[] = []
      const fromJson: unknown[] = []
      let token: string | undefined
      let jsonToken: string | undefined
      let pages = 0
      do {
        const page = await store.getMetricHistory(tied, key, size, token)
        const json = await store.getMetricHistoryJson(tied, key, size, jsonToken)
        objects.push(...page.items)
        fromJson.push(...(JSON.parse(json.metricsJson) as { value: unknown }[]).map((m) => ({ ...m, value: norm(m.value) })))
        token = page.nextPageToken
        jsonToken = json.nextPageToken
      } while ((token || jsonToken) && ++pages < 100)
      expect(objects, `${key} by ${size}`).toHaveLength(key === 't' ? 40 : 30)
      expect(fromJson, `${key} by ${size}`).toEqual(objects)
    }
  })

  it('orders batches that arrive out of step order by their timestamps', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    const steps = (from: number, ts: (s: number) => number) =>
      Array.from({ length: 100 }, (_, i) => ({ key: 'late', value: i, timestamp: ts(from + i), step: from + i }))
    // Consistent: an earlier window arrives second, timestamps still rise with steps.
    await log(id, steps(100, (s) => 1000 + s))
    await log(id, steps(0, (s) => 1000 + s))
    const consistent = await store.getMetricHistory(id, 'late', 60, undefined)
    expect(consistent.items.map((m) => m.step)).toEqual(Array.from({ length: 60 }, (_, i) => i))
    // Inconsistent: lower steps with later timestamps come after in MLflow's (timestamp, step) order.
    const other = (await store.createRun({ tags: [] })).info.run_id
    await log(other, steps(100, (s) => 1000 + s).map((m) => ({ ...m, key: 'late' })))
    await log(other, steps(0, (s) => 5000 + s))
    const seen: number[] = []
    let token: string | undefined
    do {
      const page = await store.getMetricHistory(other, 'late', 70, token)
      seen.push(...page.items.map((m) => m.step))
      token = page.nextPageToken
    } while (token && seen.length < 500)
    expect(seen).toEqual([...Array.from({ length: 100 }, (_, i) => 100 + i), ...Array.from({ length: 100 }, (_, i) => i)])
  })

  it('pages out-of-order series in timestamp order', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    // Timestamps fall as steps rise: MLflow returns them newest step last by timestamp.
    await log(id, Array.from({ length: 300 }, (_, i) => ({ key: 'r', value: i, timestamp: 10_000 - i, step: i })))
    await log(id, [{ key: 'r', value: 1, timestamp: 10_000 - 299, step: 299 }])
    const seen: number[] = []
    let token: string | undefined
    do {
      const page = await store.getMetricHistory(id, 'r', 70, token)
      seen.push(...page.items.map((m) => m.timestamp))
      token = page.nextPageToken
    } while (token && seen.length < 1000)
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => 10_000 - 299 + i).flatMap((t) => (t === 10_000 - 299 ? [t, t] : [t])))
  })

  it('samples bulk intervals with first and last steps', async () => {
    const a = (await store.createRun({ tags: [] })).info.run_id
    const b = (await store.createRun({ tags: [] })).info.run_id
    await log(a, Array.from({ length: 1000 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i })))
    await log(b, Array.from({ length: 10 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i })))
    const points = await store.getMetricHistoryBulkInterval([a, b], 'm', 100, undefined)
    const ofA = points.filter((p) => p.run_id === a).map((p) => p.step)
    expect(ofA.length).toBeLessThanOrEqual(100)
    expect(ofA.length).toBeGreaterThan(90)
    expect(ofA[0]).toBe(0)
    expect(ofA[ofA.length - 1]).toBe(999)
    expect(points.filter((p) => p.run_id === b)).toHaveLength(10)
    const ranged = await store.getMetricHistoryBulkInterval([a], 'm', 2500, { start: 10, end: 19 })
    expect(ranged.map((p) => p.step)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
  })

  async function seed(): Promise<{ exp: string; runs: Run[] }> {
    const exp = await store.createExperiment('search')
    const runs: Run[] = []
    for (let i = 0; i < 6; i++) {
      const run = await store.createRun({ experimentId: exp, runName: `run-${i}`, startTime: 1000 + i, tags: [] })
      const metrics = i === 5 ? [] : [{ key: 'acc', value: i === 4 ? Number.NaN : i / 10, timestamp: 1, step: 0 }]
      await store.logBatch(run.info.run_id, {
        metrics,
        params: [{ key: 'opt', value: i % 2 ? 'Adam' : 'sgd' }],
        tags: [{ key: 'group', value: i < 3 ? 'a' : 'b' }],
      })
      runs.push(run)
    }
    return { exp, runs }
  }

  const names = (runs: Run[]) => runs.map((r) => r.info.run_name)

  it('filters runs by metrics, params, tags and attributes, with OR and parentheses', async () => {
    const { exp, runs } = await seed()
    const search = async (filter: string, orderBy: string[] = ['attributes.run_name ASC']) =>
      names(
        (await store.searchRuns({ experimentIds: [exp], filter: parseRunFilter(filter), orderBy: parseRunOrderBy(orderBy), viewType: 'ACTIVE_ONLY', maxResults: 100 })).items,
      )
    expect(await search('metrics.acc > 0.15')).toEqual(['run-2', 'run-3'])
    // NaN (run-4) fails every comparison but `!=`, as in MLflow 3.17; run-5 has no acc at all.
    expect(await search('metrics.acc != 0.1')).toEqual(['run-0', 'run-2', 'run-3', 'run-4'])
    expect(await search("params.opt = 'Adam'")).toEqual(['run-1', 'run-3', 'run-5'])
    expect(await search("params.opt LIKE 'a%'")).toEqual([])
    expect(await search("params.opt ILIKE 'a%'")).toEqual(['run-1', 'run-3', 'run-5'])
    expect(await search("tags.group = 'b' AND metrics.acc >= 0")).toEqual(['run-3'])
    expect(await search("metrics.acc < 0.05 OR (tags.group = 'b' AND params.opt != 'sgd')")).toEqual(['run-0', 'run-3', 'run-5'])
    expect(await search(`attributes.run_id IN ('${runs[2]?.info.run_id}', '${runs[4]?.info.run_id}')`)).toEqual(['run-2', 'run-4'])
    expect(await search('attributes.start_time >= 1004')).toEqual(['run-4', 'run-5'])
    expect(await search("attributes.run_name LIKE 'run-_'")).toHaveLength(6)
    expect(await search("attributes.status = 'RUNNING'")).toHaveLength(6)
    expect(await search('params.missing IS NULL')).toHaveLength(6)
    expect(await search('tags.group IS NOT NULL')).toHaveLength(6)
  })

  it('orders by metrics with NaN and missing values last in both directions, and pages', async () => {
    const { exp } = await seed()
    const order = async (o: string[]) =>
      names((await store.searchRuns({ experimentIds: [exp], orderBy: parseRunOrderBy(o), viewType: 'ALL', maxResults: 100 })).items)
    expect(await order(['metrics.acc DESC'])).toEqual(['run-3', 'run-2', 'run-1', 'run-0', 'run-4', 'run-5'])
    expect(await order(['metrics.acc ASC'])).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5'])
    expect(await order(['params.opt ASC', 'attributes.run_name DESC'])).toEqual(['run-5', 'run-3', 'run-1', 'run-4', 'run-2', 'run-0'])
    expect(await order([])).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0'])
    const seen: string[] = []
    let token: string | undefined
    do {
      const page = await store.searchRuns({ experimentIds: [exp], orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 4, pageToken: token })
      seen.push(...names(page.items))
      token = page.nextPageToken
    } while (token)
    expect(seen).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0'])
  })

  it('searches experiments by name, tags and time, and honours view types', async () => {
    const a = await store.createExperiment('alpha', undefined, [{ key: 'team', value: 'vision' }])
    await store.createExperiment('beta')
    const gone = await store.createExperiment('gamma')
    await store.deleteExperiment(gone)
    const find = async (filter: string | undefined, viewType: 'ACTIVE_ONLY' | 'ALL' | 'DELETED_ONLY' = 'ACTIVE_ONLY') =>
      (await store.searchExperiments({ filter: parseExperimentFilter(filter), orderBy: [], viewType, maxResults: 100 })).items.map((e) => e.name)
    expect(await find("name LIKE 'a%'")).toEqual(['alpha'])
    expect(await find("tags.team = 'vision'")).toEqual(['alpha'])
    expect((await find("name = 'beta' OR tags.team ILIKE 'VIS%'")).sort()).toEqual(['alpha', 'beta'])
    expect(await find(undefined, 'DELETED_ONLY')).toEqual(['gamma'])
    expect((await find(undefined, 'ALL')).sort()).toEqual(['Default', 'alpha', 'beta', 'gamma'])
    expect(await find('creation_time > 0')).toContain('Default')
    expect(a).not.toBe('0')
  })

  it('accepts concurrent writers on one run without losing points', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    await Promise.all(
      Array.from({ length: 20 }, (_, w) =>
        log(id, Array.from({ length: 500 }, (_, i) => ({ key: `k${w % 4}`, value: i, timestamp: w, step: i }))),
      ),
    )
    let total = 0
    for (let k = 0; k < 4; k++) total += (await store.getMetricHistory(id, `k${k}`, undefined, undefined)).items.length
    expect(total).toBe(20 * 500)
  })
}
