import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import type { LogbookStore } from '@logbook/store'
import { SAMPLED_BINARY_TYPE, decodeSampledBinary } from '@logbook/core'
import { testApp } from '../testing.ts'

let app: Hono
let store: LogbookStore
let exp: string
const runs: string[] = []

function call(prefix: string, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  const init: RequestInit = method === 'GET' ? { method } : { method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }
  return Promise.resolve(app.request(`${prefix}/2.0/logbook${path}`, init))
}
const api = (path: string, body?: unknown, method?: string) => call('/api', path, body, method)

beforeAll(async () => {
  ;({ app, store } = await testApp({ artifacts: false }))
  exp = await store.createExperiment('ui')
  for (let i = 0; i < 3; i++) {
    const run = await store.createRun({ experimentId: exp, runName: `r${i}`, startTime: 100 + i, tags: [] })
    runs.push(run.info.run_id)
    const points = Array.from({ length: 3000 }, (_, s) => ({ key: 'loss', value: s === 2999 ? Number.NaN : i + 1 / (s + 1), timestamp: 1000 + s, step: s }))
    for (let b = 0; b < points.length; b += 1000) {
      await store.logBatch(run.info.run_id, { metrics: points.slice(b, b + 1000), params: [], tags: [] })
    }
    await store.logBatch(run.info.run_id, { metrics: [], params: [{ key: 'opt', value: i === 0 ? 'sgd' : 'adam' }], tags: [] })
  }
})
afterAll(() => store.close())

describe('UI support routes', () => {
  it('runs/table answers under /api and /ajax-api with the asked columns and MLflow doubles', async () => {
    const body = {
      experiment_ids: [exp],
      order_by: ['min(metrics.`loss`) DESC'],
      columns: { params: ['opt'], metrics: ['loss'] },
      max_results: 2,
    }
    for (const prefix of ['/api', '/ajax-api']) {
      const res = await call(prefix, '/runs/table', body)
      expect(res.status).toBe(200)
      const page = (await res.json()) as { runs: { run_name: string; params: object; tags: object; metrics: { loss: { last: unknown } } }[]; total: number; next_page_token?: string }
      expect(page.runs.map((r) => r.run_name)).toEqual(['r2', 'r1'])
      expect(page.total).toBe(3)
      expect(page.next_page_token).toBeTypeOf('string')
      expect(page.runs[0]?.params).toEqual({ opt: 'adam' })
      expect(page.runs[0]?.tags).toEqual({})
      expect(page.runs[0]?.metrics.loss.last).toBe('NaN')
    }
  })

  it('runs/groups, experiments/keys and metrics/sampled', async () => {
    const groups = (await (await api('/runs/groups', { experiment_ids: [exp], group_by: 'params.`opt`', metrics: ['loss'] })).json()) as { groups: { value: string; count: number }[] }
    expect(groups.groups.map((g) => [g.value, g.count])).toEqual([['adam', 2], ['sgd', 1]])
    const keys = await (await api(`/experiments/keys?experiment_ids=${exp}&experiment_ids=0`, undefined, 'GET')).json()
    expect(keys).toEqual({ params: ['opt'], metrics: ['loss'], tags: ['mlflow.runName'] })
    const res = await api('/metrics/sampled', { run_ids: [runs[1], runs[0]], metric_key: 'loss', buckets: 100, min_x: 0.5, max_x: '2999' })
    const { series } = (await res.json()) as { series: { run_id: string; total_points: number; sampled: boolean; x: number[]; count: number[]; last: unknown[]; max: unknown[] }[] }
    expect(series.map((s) => s.run_id)).toEqual([runs[1], runs[0]])
    expect(series[0]).toMatchObject({ total_points: 2999, sampled: true })
    expect(series[0]?.x).toHaveLength(100)
    expect(series[0]?.x[0]).toBe(1)
    expect(series[0]?.count.reduce((a, b) => a + b)).toBe(2999)
    expect(series[0]?.last.at(-1)).toBe('NaN')
    // All-finite lists (JSON.stringify) and lists with NaN (MLflow's strings) in one answer.
    expect(series[0]?.max.slice(0, 2)).toEqual([1.5, 1 + 1 / 32])
    // A window between two integer steps (256 > 255 once rounded) holds no point, even where the
    // block after it holds more points than buckets.
    const between = (await (await api('/metrics/sampled', { run_ids: [runs[1]], metric_key: 'loss', buckets: 100, min_x: 255.5, max_x: 255.9 })).json()) as { series: { total_points: number; sampled: boolean; x: number[] }[] }
    expect(between.series[0]).toMatchObject({ total_points: 0, sampled: false, x: [] })
    const byTime = (await (await api('/metrics/sampled', { run_ids: runs[2], metric_key: 'loss', x_axis: 'timestamp', buckets: 10 })).json()) as { series: { x: number[] }[] }
    expect(byTime.series[0]?.x[0]).toBe(1000)
    const none = await (await api('/metrics/sampled', { run_ids: [runs[0]], metric_key: 'nope' })).json()
    expect(none).toEqual({ series: [] })
  })

  it('metrics/sampled writes non-finite values as MLflow does, in place among finite ones', async () => {
    const run = await store.createRun({ experimentId: await store.createExperiment('non-finite'), tags: [] })
    const values = [1.5, Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY, 0.1 + 0.2, Number.NaN]
    await store.logBatch(run.info.run_id, { metrics: values.map((value, step) => ({ key: 'v', value, timestamp: 1, step })), params: [], tags: [] })
    const text = await (await api('/metrics/sampled', { run_ids: [run.info.run_id], metric_key: 'v' })).text()
    expect(text).toContain('"last":[1.5,"Infinity","NaN","-Infinity",0.30000000000000004,"NaN"]')
  })

  it('metrics/sampled answers the same series as bytes when asked with Accept', async () => {
    const body = { run_ids: runs, metric_key: 'loss', buckets: 50, min_x: 10 }
    const asJson = (await (await api('/metrics/sampled', body)).json()) as { series: Record<string, unknown>[] }
    const res = await app.request('/ajax-api/2.0/logbook/metrics/sampled', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: SAMPLED_BINARY_TYPE },
      body: JSON.stringify(body),
    })
    expect(res.headers.get('content-type')).toBe(SAMPLED_BINARY_TYPE)
    const decoded = decodeSampledBinary(await res.arrayBuffer())
    // The JSON form spells NaN as "NaN"; the bytes carry NaN itself.
    const wire = (v: number) => (Number.isNaN(v) ? 'NaN' : v)
    expect(decoded.map((s) => ({ ...s, x: [...s.x], min: [...s.min].map(wire), max: [...s.max].map(wire), last: [...s.last].map(wire), count: [...s.count] }))).toEqual(asJson.series)
    expect(decoded).toHaveLength(3)
    expect(decoded[0]!.last.at(-1)).toBeNaN()
  })

  const bad: [string, string, unknown, RegExp, string?][] = [
    ['table without experiments', '/runs/table', { experiment_ids: [] }, /experiment_ids/],
    ['table with a bad filter', '/runs/table', { experiment_ids: ['0'], filter: 'metrics.loss <' }, /filter/i],
    ['table ordered by min() of a param', '/runs/table', { experiment_ids: ['0'], order_by: ['min(params.lr)'] }, /takes a metric/],
    ['table page too large', '/runs/table', { experiment_ids: ['0'], max_results: 1001 }, /max_results/],
    ['table with a bad page token', '/runs/table', { experiment_ids: ['0'], page_token: '!!' }, /page token/i],
    ['table with a non-numeric experiment id', '/runs/table', { experiment_ids: ['x'] }, /Experiment ID/],
    ['groups by an attribute', '/runs/groups', { experiment_ids: ['0'], group_by: 'attributes.status' }, /group_by/],
    ['groups without group_by', '/runs/groups', { experiment_ids: ['0'] }, /group_by/],
    ['keys without experiments', '/experiments/keys', undefined, /experiment_ids/, 'GET'],
    ['sampled with 101 runs', '/metrics/sampled', { run_ids: Array(101).fill('a'), metric_key: 'loss' }, /run_ids/],
    ['sampled with 0 buckets', '/metrics/sampled', { run_ids: ['a'], metric_key: 'loss', buckets: 0 }, /buckets/],
    ['sampled with 5001 buckets', '/metrics/sampled', { run_ids: ['a'], metric_key: 'loss', buckets: 5001 }, /buckets/],
    ['sampled on an unknown axis', '/metrics/sampled', { run_ids: ['a'], metric_key: 'loss', x_axis: 'wall' }, /x_axis/],
    ['sampled with min_x > max_x', '/metrics/sampled', { run_ids: ['a'], metric_key: 'loss', min_x: 5, max_x: 1 }, /min_x/],
    ['sampled with a NaN bound', '/metrics/sampled', { run_ids: ['a'], metric_key: 'loss', min_x: 'NaN' }, /min_x/],
    ['sampled without a key', '/metrics/sampled', { run_ids: ['a'] }, /metric_key/],
    ['malformed JSON', '/metrics/sampled', '{"run_ids": [', /JSON/],
  ]
  it.each(bad)('%s is a 400 in MLflow\'s envelope', async (_name, path, body, message, method) => {
    const res = await api(path, body, method)
    expect(res.status).toBe(400)
    const err = (await res.json()) as { error_code: string; message: string }
    expect(err.error_code).toMatch(/^(INVALID_PARAMETER_VALUE|MALFORMED_REQUEST)$/)
    expect(err.message).toMatch(message)
  })
})
