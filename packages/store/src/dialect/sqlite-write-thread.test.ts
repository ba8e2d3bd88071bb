import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LIMITS, type Metric } from '@logbook/core'
import type { LogbookStore } from '../logbook-store.ts'
import { openTrackingStore } from '../open-store.ts'
import type { BatchIn } from '../tracking-store.ts'

const dir = mkdtempSync(join(tmpdir(), 'logbook-write-thread-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const threads = () => readdirSync('/proc/self/task').length
const open = (name: string, writeThread: boolean) =>
  openTrackingStore(`sqlite:///${join(dir, name)}`, { defaultArtifactRoot: 'mlflow-artifacts:', writeThread })

/** The outcome of a write: 'ok' or the MLflow error it raised. */
async function outcome(write: Promise<void>): Promise<string> {
  try {
    await write
    return 'ok'
  } catch (e) {
    const err = e as { code?: string; message: string }
    return `${err.code ?? 'NO CODE'}: ${err.message}`
  }
}

const points = (key: string, from: number, n: number, value = (s: number) => Math.sin(s)): Metric[] =>
  Array.from({ length: n }, (_, i) => ({ key, step: from + i, timestamp: 1_700_000_000_000 + from + i, value: value(from + i) }))

/** The same scripted session against a store; returns every write's outcome and what was stored. */
async function session(store: LogbookStore): Promise<unknown> {
  const exp = await store.createExperiment('thread-equivalence')
  const run = (await store.createRun({ experimentId: exp, runName: 'a', tags: [] })).info.run_id
  const gone = (await store.createRun({ experimentId: exp, runName: 'gone', tags: [] })).info.run_id
  await store.deleteRun(gone)
  const batch = (b: Partial<BatchIn>): BatchIn => ({ metrics: [], params: [], tags: [], ...b })
  const model = (await store.createLoggedModel({ experimentId: exp, name: 'm', sourceRunId: run, params: [], tags: [] })).info.model_id
  const modelMetric = { key: 'model_acc', value: 0.9, step: 3, timestamp: 7, model_id: model, dataset_name: 'ds', dataset_digest: 'abc' }
  const writes: [string, () => Promise<void>][] = [
    ['mixed', () => store.logBatch(run, batch({ metrics: points('loss', 0, 500), params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 't', value: 'x' }] }))],
    ['non-finite', () => store.logBatch(run, batch({ metrics: [NaN, Infinity, -Infinity, 0.5].map((value, step) => ({ key: 'odd', value, step, timestamp: 5 })) }))],
    ['bad key', () => store.logBatch(run, batch({ metrics: [{ key: 'a/../b!', value: 1, step: 0, timestamp: 1 }] }))],
    ['negative timestamp', () => store.logBatch(run, batch({ metrics: [{ key: 'loss', value: 1, step: 0, timestamp: -1 }] }))],
    ['changed param', () => store.logBatch(run, batch({ metrics: points('loss', 900, 3), params: [{ key: 'lr', value: '0.2' }] }))],
    ['unknown run', () => store.logBatch('0123456789abcdef0123456789abcdef', batch({ metrics: points('loss', 0, 1) }))],
    ['deleted run', () => store.logBatch(gone, batch({ metrics: points('loss', 0, 1) }))],
    ['over the cap', () => store.logBatch(run, batch({ metrics: points('loss', 0, LIMITS.batchMetrics + 1) }))],
    ['bulk', () => store.logMetrics(run, points('acc', 0, 20_000, (s) => s / 20_000))],
    ['bulk over the cap', () => store.logMetrics(run, points('acc', 0, 100_001))],
    ['logged model', () => store.logBatch(run, batch({ metrics: [modelMetric, ...points('loss', 600, 5)] }))],
    ['out of order', () => store.logBatch(run, batch({ metrics: points('loss', 200, 50, () => 7) }))],
  ]
  const results: Record<string, string> = {}
  for (const [name, write] of writes) results[name] = (await outcome(write())).replaceAll(run, '<run>').replaceAll(gone, '<gone>')
  const stored = await store.getRun(run)
  const history = async (key: string) => (await store.getMetricHistory(run, key, 25_000, undefined)).items
  const modelMetrics = (await store.getLoggedModel(model)).data.metrics.map(({ run_id: _r, model_id: _m, ...m }) => m)
  return { results, data: stored.data, loss: await history('loss'), odd: await history('odd'), acc: (await history('acc')).length, modelMetrics }
}

describe('SQLite write thread', () => {
  it('gives every write the same outcome as the serving thread, and stores the same data', async () => {
    const before = threads()
    const threaded = await open('threaded.db', true)
    expect(threads()).toBeGreaterThan(before)
    const plain = await open('plain.db', false)
    const a = await session(threaded)
    const b = await session(plain)
    expect(a).toEqual(b)
    const results = (a as { results: Record<string, string> }).results
    expect(results.mixed).toBe('ok')
    expect(results['bad key']).toMatch(/^INVALID_PARAMETER_VALUE: Invalid metric name/)
    expect(results['changed param']).toMatch(/^INVALID_PARAMETER_VALUE: Changing param values is not allowed/)
    expect(results['unknown run']).toMatch(/^RESOURCE_DOES_NOT_EXIST/)
    expect(results['over the cap']).toMatch(/at most 1000 metrics/)
    expect((a as { odd: Metric[] }).odd.map((m) => m.value)).toEqual([NaN, Infinity, -Infinity, 0.5])
    expect((a as { modelMetrics: Metric[] }).modelMetrics).toEqual([{ key: 'model_acc', value: 0.9, step: 3, timestamp: 7, dataset_name: 'ds', dataset_digest: 'abc' }])
    await threaded.close()
    await plain.close()
  })

  it('interleaves with the serving thread’s own writes without losing any', async () => {
    const store = await open('concurrent.db', true)
    const exp = await store.createExperiment('concurrent')
    const runs = await Promise.all(Array.from({ length: 4 }, (_, i) => store.createRun({ experimentId: exp, runName: `r${i}`, tags: [] })))
    const ids = runs.map((r) => r.info.run_id)
    const work: Promise<unknown>[] = []
    for (let b = 0; b < 40; b++) {
      const id = ids[b % 4] as string
      work.push(store.logBatch(id, { metrics: points('m', Math.floor(b / 4) * 100, 100), params: [], tags: [] }))
      // Writes without points stay on the serving thread and take the same SQLite write lock.
      work.push(store.logBatch(id, { metrics: [], params: [], tags: [{ key: `t${b}`, value: String(b) }] }))
      if (b % 10 === 0) work.push(store.createRun({ experimentId: exp, runName: `extra${b}`, tags: [] }))
    }
    // Requests that fail share groups with the others and must not take any of them down.
    const rejected = Array.from({ length: 6 }, (_, i) =>
      outcome(store.logBatch(ids[i % 4] as string, { metrics: [{ key: 'bad key!', value: 1, step: 0, timestamp: 1 }], params: [], tags: [] })),
    )
    await Promise.all(work)
    for (const r of await Promise.all(rejected)) expect(r).toMatch(/^INVALID_PARAMETER_VALUE: Invalid metric name/)
    for (const id of ids) {
      const run = await store.getRun(id)
      expect((await store.getMetricHistory(id, 'm', 25_000, undefined)).items).toHaveLength(1000)
      expect(run.data.metrics.find((m) => m.key === 'm')?.step).toBe(999)
      expect(run.data.tags.filter((t) => /^t\d+$/.test(t.key))).toHaveLength(10)
    }
    await store.close()
    // Everything was committed before close returned: a fresh open reads it all.
    const again = await open('concurrent.db', false)
    expect((await again.getMetricHistory(ids[0] as string, 'm', 25_000, undefined)).items).toHaveLength(1000)
    await again.close()
  })

  it('forgets metric key ids that a failed request rolled back', async () => {
    const store = await open('rollback.db', true)
    const exp = await store.createExperiment('rollback')
    const live = (await store.createRun({ experimentId: exp, tags: [] })).info.run_id
    const gone = (await store.createRun({ experimentId: exp, tags: [] })).info.run_id
    await store.deleteRun(gone)
    // Queued together behind a large batch, these three are likely written as one group. The
    // second creates key 'fresh' and then fails (deleted run): its rollback removes that key row.
    const busy = store.logMetrics(live, points('warm', 0, 8_000))
    const results = await Promise.all([
      outcome(store.logBatch(live, { metrics: points('first', 0, 10), params: [], tags: [] })),
      outcome(store.logBatch(gone, { metrics: points('fresh', 0, 10), params: [], tags: [] })),
      outcome(store.logBatch(live, { metrics: points('fresh', 0, 10), params: [], tags: [] })),
    ])
    await busy
    expect(results[0]).toBe('ok')
    expect(results[1]).toMatch(/must be in the 'active' state/)
    expect(results[2]).toBe('ok')
    expect((await store.getMetricHistory(live, 'fresh', 100, undefined)).items).toHaveLength(10)
    expect((await store.getRun(live)).data.metrics.map((m) => m.key).sort()).toEqual(['first', 'fresh', 'warm'])
    await store.close()
  })

  it('reads half of a many-run metrics/sampled on the thread, with the same answer as one thread', async () => {
    const store = await open('sampled.db', true)
    const exp = await store.createExperiment('sampled')
    const ids: string[] = []
    for (let i = 0; i < 7; i++) {
      const id = (await store.createRun({ experimentId: exp, runName: `r${i}`, tags: [] })).info.run_id
      ids.push(id)
      // Run 3 lacks the metric; the others have 3,000-9,000 points (sampled at 100 buckets), with NaN.
      if (i !== 3) await store.logMetrics(id, points('loss', -50, 3000 * (1 + (i % 3)), (s) => (s % 97 === 0 ? Number.NaN : Math.cos(s / 50) + i)))
    }
    await store.close()
    const threaded = await open('sampled.db', true)
    const plain = await open('sampled.db', false)
    const asked = [ids[5]!, ids[0]!, 'no-such-run', ids[3]!, ids[0]!, ...ids.slice(1)]
    const queries = [
      { runIds: asked, metricKey: 'loss', xAxis: 'step' as const, buckets: 100 },
      { runIds: asked, metricKey: 'loss', xAxis: 'step' as const, buckets: 40, minX: 100, maxX: 2500 },
      { runIds: asked, metricKey: 'loss', xAxis: 'timestamp' as const, buckets: 30 },
      { runIds: ids.slice(0, 3), metricKey: 'loss', xAxis: 'step' as const, buckets: 100 },
      { runIds: asked, metricKey: 'nope', xAxis: 'step' as const, buckets: 10 },
    ]
    for (const q of queries) {
      const a = await threaded.sampledMetrics(q)
      expect(a).toEqual(await plain.sampledMetrics(q))
      if (q.metricKey === 'loss' && q.runIds.length > 3) expect(a.map((x) => x.run_id)).toEqual([ids[5], ids[0], ids[1], ids[2], ids[4], ids[6]])
    }
    // Reads while the thread writes: each answer is the data before or after a whole batch.
    const writes = Array.from({ length: 5 }, (_, b) => threaded.logMetrics(ids[1]!, points('loss', 20_000 + b * 1000, 1000)))
    const during = await threaded.sampledMetrics({ runIds: ids, metricKey: 'loss', xAxis: 'step', buckets: 50 })
    await Promise.all(writes)
    expect([6000, 7000, 8000, 9000, 10_000, 11_000]).toContain(during.find((x) => x.run_id === ids[1])?.total_points)
    await threaded.close()
    await plain.close()
  })
})
