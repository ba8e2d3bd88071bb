import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import { LogbookClient } from './client.ts'
import { startRun } from './start-run.ts'
import { startTestServer } from './testing/server.ts'
import type { TestServer } from './testing/server.ts'

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('SDK resilience against a real server', () => {
  it('stores every point exactly once when the server is down for seconds mid-run', async () => {
    let refused = 0
    const counting: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init)
      } catch (e) {
        refused++
        throw e
      }
    }
    const run = await startRun({
      client: new LogbookClient({ trackingUri: server.url, fetch: counting }),
      queue: { flushIntervalMs: 100 },
    })
    const logged: Record<string, [number, number][]> = { loss: [], acc: [] }
    let step = 0
    // A training loop that keeps logging (every 5 ms) through the outage.
    const logFor = async (ms: number): Promise<void> => {
      const until = Date.now() + ms
      while (Date.now() < until) {
        for (const key of ['loss', 'acc'] as const) {
          const value = key === 'loss' ? 1 / (step + 1) : step / 1000
          run.logMetric(key, value, { step })
          logged[key]?.push([step, value])
        }
        step++
        await tick(5)
      }
    }
    await logFor(1000)
    const stopping = server.stop()
    await logFor(500)
    await stopping
    await logFor(3000) // server down: points queue up, batches are retried
    expect(refused).toBeGreaterThan(0)
    expect(run.pendingMetrics).toBeGreaterThan(0)
    await server.start()
    await logFor(1000)
    await run.end()

    for (const key of ['loss', 'acc'] as const) {
      const history = await client.getMetricHistory(run.id, key)
      const stored = history.map((m): [number, number] => [m.step, m.value])
      stored.sort((a, b) => a[0] - b[0])
      expect(stored).toEqual(logged[key])
    }
    expect((await client.getRun(run.id)).info.status).toBe('FINISHED')
  }, 60_000)

  it('reports a permanent batch failure through onError and rejects flush() and end()', async () => {
    const errors: unknown[] = []
    const run = await startRun({ client, onError: (e) => errors.push(e) })
    run.logMetric('m', 1, { step: 0 })
    await run.flush()
    // Another process deletes the run: the server now answers log-batch with a 4xx.
    await client.deleteRun(run.id)
    run.logMetric('m', 2, { step: 1 })
    const flushed = await run.flush().catch((e: unknown) => e)
    expect(isMlflowError(flushed) && flushed.code).toBe('INVALID_PARAMETER_VALUE')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBe(flushed)
    // Reported once: the next flush has nothing new to report.
    await expect(run.flush()).resolves.toBeUndefined()

    run.logMetric('m', 3, { step: 2 })
    const ended = await run.end().catch((e: unknown) => e)
    // Both the lost batch and the refused update of the deleted run are reported.
    expect(ended).toBeInstanceOf(AggregateError)
    const reasons = (ended as AggregateError).errors
    expect(reasons.map((e) => isMlflowError(e) && e.code)).toEqual([
      'INVALID_PARAMETER_VALUE',
      'INVALID_PARAMETER_VALUE',
    ])
    expect(String((reasons[1] as Error).message)).toMatch(/active|deleted/i)
    expect(errors).toHaveLength(2)
    await client.restoreRun(run.id)
    expect((await client.getMetricHistory(run.id, 'm')).map((m) => m.value)).toEqual([1])
  })

  it('prints a failed batch when no callback is given', async () => {
    const printed: unknown[][] = []
    const original = console.error
    console.error = (...args: unknown[]) => printed.push(args)
    try {
      const run = await startRun({ client })
      await client.deleteRun(run.id)
      run.logMetric('m', 1)
      await expect(run.flush()).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' })
    } finally {
      console.error = original
    }
    expect(String(printed[0]?.[0])).toMatch(/logbook: metrics of run \w+ were not stored/)
  })
})
