import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import type { TrackingStore } from '@logbook/store'
import { testApp } from '../testing.ts'
import { ParseWorker, parseWorker } from './parse-worker.ts'

let app: Hono
let store: TrackingStore

beforeAll(async () => {
  ;({ app, store } = await testApp())
})
afterAll(async () => {
  await store.close()
  await parseWorker.close()
})

async function newRun(): Promise<string> {
  return (await store.createRun({ tags: [] })).info.run_id
}

/** POST with a Content-Length, as HTTP clients send it (large bodies go to the parse worker). */
async function logBatch(body: string): Promise<{ status: number; json: { error_code?: string; message?: string } }> {
  const res = await app.request('/api/2.0/mlflow/runs/log-batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  })
  return { status: res.status, json: (await res.json()) as { error_code?: string; message?: string } }
}

const points = (n: number, value: (i: number) => unknown = (i) => i / 7) =>
  Array.from({ length: n }, (_, i) => ({ key: i % 2 ? 'a' : 'b', value: value(i), timestamp: 1000 + i, step: i }))
const pad = (s: string) => s + ' '.repeat(Math.max(0, 40_000 - s.length))

describe('log-batch bodies parsed on the parse worker', () => {
  it('stores every metric of a large batch, with MLflow\'s non-finite strings, params and tags', async () => {
    const run = await newRun()
    const special = ['NaN', 'Infinity', '-Infinity']
    // 998 metrics + 1 param + 1 tag: MLflow's 1,000 in all.
    const body = JSON.stringify({ run_id: run, metrics: points(998, (i) => (i < 3 ? special[i] : i / 7)), params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 't', value: 'x' }] })
    expect(body.length).toBeGreaterThan(32 * 1024)
    expect((await logBatch(body)).status).toBe(200)
    const b = (await store.getMetricHistory(run, 'b', undefined, undefined)).items
    const a = (await store.getMetricHistory(run, 'a', undefined, undefined)).items
    expect(b).toHaveLength(499)
    expect(b[0]?.value).toBeNaN()
    expect(a[0]?.value).toBe(Number.POSITIVE_INFINITY)
    expect(b[1]).toEqual({ key: 'b', value: Number.NEGATIVE_INFINITY, timestamp: 1002, step: 2 })
    expect(a[498]).toEqual({ key: 'a', value: 997 / 7, timestamp: 1997, step: 997 })
    const stored = await store.getRun(run)
    expect(stored.data.params).toEqual([{ key: 'lr', value: '0.1' }])
    expect(stored.data.tags.find((t) => t.key === 't')?.value).toBe('x')
  })

  it('takes the usual validation path for unusual shapes, with the same answers as small bodies', async () => {
    const run = await newRun()
    // A numeric string value and an omitted step are valid for MLflow.
    const unusual = points(1000, (i) => String(i)).map(({ step: _step, ...m }) => m)
    expect((await logBatch(JSON.stringify({ run_id: run, metrics: unusual }))).status).toBe(200)
    expect((await store.getMetricHistory(run, 'a', 2, undefined)).items).toEqual([
      { key: 'a', value: 1, timestamp: 1001, step: 0 },
      { key: 'a', value: 3, timestamp: 1003, step: 0 },
    ])
    const missingTimestamp = points(1000).map((m, i) => (i === 600 ? { key: m.key, value: 1 } : m))
    const big = await logBatch(JSON.stringify({ run_id: run, metrics: missingTimestamp }))
    const small = await logBatch(JSON.stringify({ run_id: run, metrics: [{ key: 'a', value: 1 }] }))
    expect(big.status).toBe(400)
    expect(big.json.error_code).toBe(small.json.error_code)
    expect(big.json.message).toBe(small.json.message?.replace('metrics[0]', 'metrics[600]'))
  })

  it('answers malformed, non-object and legacy string bodies as the inline parser does', async () => {
    const run = await newRun()
    expect((await logBatch(pad('{"run_id": "x", "metrics": ['))).json).toEqual({ error_code: 'MALFORMED_REQUEST', message: 'Malformed request body: not valid JSON.' })
    expect((await logBatch(pad('[1, 2, 3]'))).json).toEqual({ error_code: 'MALFORMED_REQUEST', message: 'Malformed request body: expected a JSON object.' })
    const legacy = JSON.stringify(JSON.stringify({ run_id: run, metrics: points(1000) }))
    expect((await logBatch(legacy)).status).toBe(200)
    expect((await store.getMetricHistory(run, 'a', undefined, undefined)).items).toHaveLength(500)
  })
})

describe('ParseWorker', () => {
  it('rejects what was in flight when the worker dies, and starts a new one for the next body', async () => {
    const worker = new ParseWorker()
    const bytes = () => new TextEncoder().encode(JSON.stringify({ run_id: 'r', metrics: points(10) }))
    const lost = worker.parse(bytes())
    await worker.close()
    await expect(lost).rejects.toThrow(/exited/)
    const next = await worker.parse(bytes())
    expect('body' in next && next.cols?.values.length).toBe(10)
    await worker.close()
  })
})
