import { describe, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import { LogbookClient } from './client.ts'
import { configFromEnv } from './config.ts'
import { MetricBatch } from './metric-batch.ts'
import { MetricQueue } from './metric-queue.ts'

/** A fetch that answers from a list of canned responses and records each request. */
function scripted(responses: (() => Response)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = []
  const fn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init })
    const next = responses[Math.min(calls.length - 1, responses.length - 1)]
    if (!next) throw new TypeError('fetch failed')
    return next()
  }
  return { fn, calls }
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const down = () => {
  throw new TypeError('fetch failed')
}
const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 }

describe('transport', () => {
  it('retries network errors, 429 and 503, then succeeds', async () => {
    const { fn, calls } = scripted([
      down,
      json(429, {}),
      json(503, {}),
      json(200, { experiment_id: '7' }),
    ])
    const client = new LogbookClient({ trackingUri: 'http://x/', fetch: fn, retry: fast })
    expect(await client.createExperiment('e')).toBe('7')
    expect(calls).toHaveLength(4)
    expect(calls[0]?.url).toBe('http://x/api/2.0/mlflow/experiments/create')
  })

  it('does not retry other errors and rebuilds the MLflow error', async () => {
    const err = { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' }
    const { fn, calls } = scripted([json(400, err)])
    const client = new LogbookClient({ trackingUri: 'http://x', fetch: fn, retry: fast })
    const e = await client.createExperiment('e').catch((x: unknown) => x)
    expect(isMlflowError(e) && [e.code, e.message]).toEqual(['RESOURCE_ALREADY_EXISTS', 'exists'])
    expect(calls).toHaveLength(1)
    const html = scripted([() => new Response('<html>', { status: 500 })])
    const e2 = await new LogbookClient({ trackingUri: 'http://x', fetch: html.fn })
      .getRun('r')
      .catch((x: unknown) => x)
    expect(isMlflowError(e2) && e2.code).toBe('INTERNAL_ERROR')
  })

  it('gives up after the bounded number of retries', async () => {
    const { fn, calls } = scripted([down])
    const client = new LogbookClient({ trackingUri: 'http://x', fetch: fn, retry: fast })
    await expect(client.getRun('r')).rejects.toMatchObject({ name: 'NetworkError' })
    expect(calls).toHaveLength(4)
  })

  it('sends bearer or basic auth and encodes NaN as MLflow strings', async () => {
    const { fn, calls } = scripted([json(200, {})])
    await new LogbookClient({ trackingUri: 'http://x', token: 't', fetch: fn }).logMetric(
      'r',
      'k',
      Number.NaN,
    )
    await new LogbookClient({
      trackingUri: 'http://x',
      username: 'u',
      password: 'p',
      fetch: fn,
    }).setTag('r', 'k', 'v')
    const headers = calls.map((c) => (c.init?.headers as Record<string, string>).authorization)
    expect(headers).toEqual(['Bearer t', `Basic ${btoa('u:p')}`])
    expect(JSON.parse(String(calls[0]?.init?.body)).value).toBe('NaN')
  })
})

describe('configFromEnv', () => {
  it('prefers LOGBOOK_TRACKING_URI and reads token or basic credentials', () => {
    expect(
      configFromEnv({
        LOGBOOK_TRACKING_URI: 'http://a',
        MLFLOW_TRACKING_URI: 'http://b',
        MLFLOW_TRACKING_TOKEN: 't',
      }),
    ).toEqual({ trackingUri: 'http://a', token: 't' })
    expect(
      configFromEnv({
        MLFLOW_TRACKING_URI: 'http://b',
        MLFLOW_TRACKING_USERNAME: 'u',
        MLFLOW_TRACKING_PASSWORD: 'p',
      }),
    ).toEqual({ trackingUri: 'http://b', username: 'u', password: 'p' })
    expect(() => configFromEnv({})).toThrow(/LOGBOOK_TRACKING_URI/)
    expect(() => configFromEnv({ MLFLOW_TRACKING_URI: 'file:./mlruns' })).toThrow(/http/)
  })
})

describe('MetricQueue memory cap', () => {
  it('drops points beyond maxQueued without blocking and reports it on flush()', async () => {
    const errors: unknown[] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const sent: number[] = []
    const queue = new MetricQueue({
      send: async (batch) => {
        await gate
        sent.push(batch.length)
      },
      maxQueued: 10,
      batchSize: 5,
      onError: (e) => errors.push(e),
    })
    for (let i = 0; i < 15; i++) queue.push({ key: 'k', value: i, step: i, timestamp: 0 })
    expect(queue.pending).toBe(10)
    expect(errors).toHaveLength(1)
    const flushed = queue.flush().catch((e: unknown) => e)
    release()
    expect(String(await flushed)).toMatch(/5 metric points were dropped/)
    expect(sent).toEqual([5, 5])
    await queue.close()
  })
})

describe('binary metric batches', () => {
  const batchOf = (n: number) => {
    const b = new MetricBatch(n)
    for (let i = 0; i < n; i++) b.push(i % 2 ? 'a' : 'b', i, i, 1000 + i)
    return b
  }

  it('fall back to 1,000-point JSON log-batches once a server lacks the route (MLflow)', async () => {
    const notFound = () => new Response('<!doctype html><title>404 Not Found</title>', { status: 404 })
    const { fn, calls } = scripted([notFound, json(200, {})])
    const client = new LogbookClient({ trackingUri: 'http://x', fetch: fn, retry: fast })
    await client.logMetricBatch('r1', batchOf(2500))
    await client.logMetricBatch('r1', batchOf(10))
    expect(calls.map((c) => c.url.replace('http://x/api/2.0/', ''))).toEqual([
      'logbook/runs/log-metrics?run_id=r1',
      'mlflow/runs/log-batch',
      'mlflow/runs/log-batch',
      'mlflow/runs/log-batch',
      'mlflow/runs/log-batch',
    ])
    const bodies = calls.slice(1).map((c) => JSON.parse(String(c.init?.body)) as { metrics: unknown[] })
    expect(bodies.map((b) => b.metrics.length)).toEqual([1000, 1000, 500, 10])
    expect(bodies[2]?.metrics[499]).toEqual({ key: 'a', value: 2499, timestamp: 3499, step: 2499 })
  })

  it('send one binary request to Logbook, and a later 404 is an error, not a fallback', async () => {
    const { fn, calls } = scripted([json(200, {}), () => new Response('gone', { status: 404 })])
    const client = new LogbookClient({ trackingUri: 'http://x', fetch: fn, retry: fast })
    await client.logMetricBatch('r1', batchOf(2500))
    expect(calls[0]?.init?.headers).toMatchObject({ 'content-type': 'application/x-logbook-metrics' })
    expect((calls[0]?.init?.body as Uint8Array).byteLength).toBe(24 + 2500 * 28)
    await expect(client.logMetricBatch('r1', batchOf(1))).rejects.toMatchObject({ code: 'ENDPOINT_NOT_FOUND' })
    expect(calls).toHaveLength(2)
  })
})
