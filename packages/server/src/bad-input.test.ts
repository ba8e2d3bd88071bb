import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import type { TrackingStore } from '@logbook/store'
import { post, testApp } from './testing.ts'

let app: Hono
let store: TrackingStore
let runId: string
let snapshot: string

beforeAll(async () => {
  ;({ app, store } = await testApp())
  const res = await post(app, '/runs/create', { experiment_id: '0', start_time: 1 })
  runId = ((await res.json()) as { run: { info: { run_id: string } } }).run.info.run_id
  await post(app, '/runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'm', value: 1.5, timestamp: 1, step: 0 }],
    params: [{ key: 'p', value: 'v' }],
    tags: [{ key: 't', value: 'x' }],
  })
  snapshot = JSON.stringify(await store.getRun(runId))
})
afterAll(() => store.close())

interface Case {
  name: string
  path: string
  body: unknown
  status: number
  code: string
  message?: RegExp
  headers?: Record<string, string>
}

const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: 'k', value: i, timestamp: 1, step: i }))

// Every user mistake gets a 4xx with MLflow's envelope, and the stored run never changes.
const cases: (() => Case)[] = [
  () => ({ name: 'malformed JSON', path: '/runs/log-batch', body: '{"run_id": ', status: 400, code: 'MALFORMED_REQUEST' }),
  () => ({ name: 'JSON array body', path: '/runs/log-batch', body: '[1]', status: 400, code: 'MALFORMED_REQUEST' }),
  () => ({ name: 'text/plain content type', path: '/runs/log-batch', body: { run_id: runId }, headers: { 'content-type': 'text/plain' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Content-Type/ }),
  () => ({ name: 'wrong type for name', path: '/experiments/create', body: { name: 123 }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Invalid value 123 for parameter 'name' supplied/ }),
  () => ({ name: 'missing experiment name', path: '/experiments/create', body: {}, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Missing value for required parameter 'name'/ }),
  () => ({ name: 'missing metric timestamp', path: '/runs/log-batch', body: { run_id: runId, metrics: [{ key: 'm', value: 1 }] }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /'metrics\[0\]\.timestamp'/ }),
  () => ({ name: 'string step', path: '/runs/log-metric', body: { run_id: runId, key: 'm', value: 1, timestamp: 1, step: 'foo' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Invalid value "foo" for parameter 'step'/ }),
  () => ({ name: 'non-numeric value', path: '/runs/log-metric', body: { run_id: runId, key: 'm', value: 'abc', timestamp: 1 }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'metrics not a list', path: '/runs/log-batch', body: { run_id: runId, metrics: 'foo' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Invalid value "foo" for parameter 'metrics'/ }),
  () => ({ name: 'unknown run id', path: '/runs/log-batch', body: { run_id: 'ffffffffffffffffffffffffffffffff', metrics: metrics(1) }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'unknown experiment', path: '/runs/create', body: { experiment_id: '424242' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'non-integer experiment id', path: '/runs/create', body: { experiment_id: 'abc' }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'over-long param key', path: '/runs/log-parameter', body: { run_id: runId, key: 'k'.repeat(251), value: '1' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /maximum length of 250/ }),
  () => ({ name: 'illegal key characters', path: '/runs/log-batch', body: { run_id: runId, params: [{ key: 'a$b', value: '1' }] }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Names may only contain/ }),
  () => ({ name: 'over-long experiment tag value', path: '/experiments/set-experiment-tag', body: { experiment_id: '0', key: 'k', value: 'v'.repeat(5001) }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: '1001 metrics in a batch', path: '/runs/log-batch', body: { run_id: runId, metrics: metrics(1001) }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /at most 1000 metrics/ }),
  () => ({ name: '101 params in a batch', path: '/runs/log-batch', body: { run_id: runId, params: Array.from({ length: 101 }, (_, i) => ({ key: `q${i}`, value: '1' })) }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /at most 100 params/ }),
  () => ({ name: 'changed param value', path: '/runs/log-parameter', body: { run_id: runId, key: 'p', value: 'other' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /Changing param values is not allowed/ }),
  () => ({ name: 'bad filter', path: '/runs/search', body: { experiment_ids: ['0'], filter: 'metrics.m >> 1' }, status: 400, code: 'INVALID_PARAMETER_VALUE', message: /position/ }),
  () => ({ name: 'max_results over the cap', path: '/runs/search', body: { experiment_ids: ['0'], max_results: 50001 }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'bad page token', path: '/runs/search', body: { experiment_ids: ['0'], page_token: 'zzz' }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'duplicate order_by', path: '/runs/search', body: { experiment_ids: ['0'], order_by: ['start_time', 'created'] }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'unknown status enum', path: '/runs/update', body: { run_id: runId, status: 'DONE' }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'NaN timestamp', path: '/runs/log-metric', body: { run_id: runId, key: 'm', value: 1, timestamp: 'NaN' }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
  () => ({ name: 'negative timestamp', path: '/runs/log-metric', body: { run_id: runId, key: 'm', value: 1, timestamp: -5 }, status: 400, code: 'INVALID_PARAMETER_VALUE' }),
]

describe('bad input', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', async (_i, make) => {
    const c = make()
    const res = await post(app, c.path, c.body, c.headers)
    const body = (await res.json()) as { error_code: string; message: string }
    expect({ name: c.name, status: res.status, code: body.error_code }).toEqual({ name: c.name, status: c.status, code: c.code })
    expect(res.headers.get('content-type')).toBe('application/json')
    if (c.message) expect(body.message).toMatch(c.message)
    expect(JSON.stringify(await store.getRun(runId))).toBe(snapshot)
  })

  it('answers unknown routes with 404 ENDPOINT_NOT_FOUND, never 5xx', async () => {
    for (const path of ['/api/2.0/mlflow/nope', '/ajax-api/2.0/mlflow/runs/unknown', '/api/9.9/x']) {
      const res = await app.request(path)
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error_code: string }).error_code).toBe('ENDPOINT_NOT_FOUND')
    }
  })

  it('rejects a body over the size limit', async () => {
    const res = await post(app, '/runs/log-batch', { run_id: runId, tags: [{ key: 'big', value: 'x'.repeat(33 * 1024 * 1024) }] })
    expect(res.status).toBe(400)
  })
})
