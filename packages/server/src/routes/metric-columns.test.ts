import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import { encodeMetricColumns, type MetricColumns } from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { post, testApp } from '../testing.ts'

let app: Hono
let store: TrackingStore
let runId: string

beforeAll(async () => {
  ;({ app, store } = await testApp())
  const res = await post(app, '/runs/create', { experiment_id: '0', start_time: 1 })
  runId = ((await res.json()) as { run: { info: { run_id: string } } }).run.info.run_id
})
afterAll(() => store.close())

const points = (n: number, keys = ['loss', 'acc']): MetricColumns => ({
  keys,
  keyIndex: Uint32Array.from({ length: n }, (_, i) => i % keys.length),
  values: Float64Array.from({ length: n }, (_, i) => (i === 3 ? Number.NaN : i / 10)),
  steps: Float64Array.from({ length: n }, (_, i) => Math.floor(i / keys.length)),
  timestamps: Float64Array.from({ length: n }, (_, i) => 1000 + i),
})

function send(body: Uint8Array | string, query = `?run_id=${runId}`, type = 'application/x-logbook-metrics') {
  return Promise.resolve(
    app.request(`/api/2.0/logbook/runs/log-metrics${query}`, { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit }),
  )
}

describe('POST logbook/runs/log-metrics (binary batch)', () => {
  it('stores every point of a batch beyond log-batch\'s 1,000, NaN included', async () => {
    const res = await send(encodeMetricColumns(points(5000)))
    expect(res.status).toBe(200)
    const history = await store.getMetricHistory(runId, 'acc', 25_000, undefined)
    expect(history.items).toHaveLength(2500)
    expect(history.items[1]).toMatchObject({ key: 'acc', value: Number.NaN, step: 1, timestamp: 1003 })
    const run = await store.getRun(runId)
    expect(run.data.metrics.find((m) => m.key === 'loss')).toMatchObject({ step: 2499, value: 499.8 })
  })

  it('answers mistakes with a 4xx in MLflow\'s format and stores nothing', async () => {
    const before = JSON.stringify(await store.getRun(runId))
    const good = encodeMetricColumns(points(4))
    const cases: [string, Promise<Response>, number, string][] = [
      ['JSON content type', send(good, undefined, 'application/json'), 400, 'INVALID_PARAMETER_VALUE'],
      ['form content type', send(good, undefined, 'application/x-www-form-urlencoded'), 400, 'INVALID_PARAMETER_VALUE'],
      ['no run_id', send(good, ''), 400, 'INVALID_PARAMETER_VALUE'],
      ['unknown run', send(good, '?run_id=0123456789abcdef0123456789abcdef'), 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['garbage', send('not a batch at all'), 400, 'MALFORMED_REQUEST'],
      ['truncated', send(good.slice(0, good.length - 8)), 400, 'MALFORMED_REQUEST'],
      ['illegal key', send(encodeMetricColumns(points(4, ['ok', 'bad*key']))), 400, 'INVALID_PARAMETER_VALUE'],
      ['empty key', send(encodeMetricColumns(points(4, ['']))), 400, 'INVALID_PARAMETER_VALUE'],
    ]
    for (const [name, pending, status, code] of cases) {
      const res = await pending
      expect(res.status, name).toBe(status)
      expect(((await res.json()) as { error_code: string }).error_code, name).toBe(code)
    }
    expect(JSON.stringify(await store.getRun(runId))).toBe(before)
  })

  it('refuses a batch for a deleted run', async () => {
    const res = await post(app, '/runs/create', { experiment_id: '0' })
    const id = ((await res.json()) as { run: { info: { run_id: string } } }).run.info.run_id
    await post(app, '/runs/delete', { run_id: id })
    const refused = await send(encodeMetricColumns(points(2)), `?run_id=${id}`)
    expect(refused.status).toBe(400)
  })
})
