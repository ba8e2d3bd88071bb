import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import type { TrackingStore } from '@logbook/store'
import { post, testApp } from './testing.ts'

let app: Hono
let store: TrackingStore
beforeAll(async () => {
  ;({ app, store } = await testApp())
})
afterAll(() => store.close())

const get = async (path: string) => (await app.request(path)).json() as Promise<Record<string, any>>

describe('tracking routes', () => {
  it('serve health, version and server-info', async () => {
    expect(await (await app.request('/health')).text()).toBe('OK')
    expect(await (await app.request('/version')).text()).toBe('0.0.0-test')
    expect(await get('/api/3.0/mlflow/server-info')).toEqual({ store_type: 'SqlStore', workspaces_enabled: false })
  })

  it('round-trip a run with non-finite metrics as MLflow strings, on both prefixes', async () => {
    const created = (await (await post(app, '/runs/create', { experiment_id: '0', start_time: '7', run_name: 'r' })).json()) as Record<string, any>
    const id = created.run.info.run_id as string
    expect(created.run.info.start_time).toBe(7)
    const res = await post(app, '/runs/log-batch', {
      run_id: id,
      metrics: [
        { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'inf', value: 'Infinity', timestamp: 1 },
        { key: 'ninf', value: '-Infinity', timestamp: '1', step: '2' },
      ],
    })
    expect(await res.text()).toBe('{}')
    for (const prefix of ['/api', '/ajax-api']) {
      const run = await get(`${prefix}/2.0/mlflow/runs/get?run_id=${id}`)
      const values = Object.fromEntries(run.run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]))
      expect(values).toEqual({ nan: 'NaN', inf: 'Infinity', ninf: '-Infinity' })
    }
    const hist = await get(`/api/2.0/mlflow/metrics/get-history?run_uuid=${id}&metric_key=ninf`)
    expect(hist).toEqual({ metrics: [{ key: 'ninf', value: '-Infinity', timestamp: 1, step: 2 }] })
  })

  it('accept GET search with repeated query keys and a single repeated value', async () => {
    await post(app, '/experiments/create', { name: 'q1' })
    const res = await get('/api/2.0/mlflow/experiments/search?max_results=10&order_by=name+ASC&filter=name+LIKE+%27q%25%27')
    expect(res.experiments.map((e: { name: string }) => e.name)).toEqual(['q1'])
  })

  it('serve bulk-interval history with MLflow validation', async () => {
    const created = (await (await post(app, '/runs/create', { experiment_id: '0' })).json()) as Record<string, any>
    const id = created.run.info.run_id as string
    await post(app, '/runs/log-batch', { run_id: id, metrics: Array.from({ length: 20 }, (_, i) => ({ key: 'b', value: i, timestamp: 5, step: i })) })
    const res = await get(`/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${id}&metric_key=b&max_results=5`)
    expect(res.metrics[0]).toEqual({ key: 'b', value: 0, timestamp: 5, step: 0, run_id: id })
    expect(res.metrics.length).toBeLessThanOrEqual(5)
    const bad = await app.request(`/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${id}&metric_key=b&start_step=3`)
    expect(bad.status).toBe(400)
  })
})
