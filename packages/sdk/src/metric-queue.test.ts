import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

describe('background metric queue against a real server', () => {
  it('stores every one of 100,000 logMetric calls', async () => {
    const run = await startRun({ client })
    const t0 = performance.now()
    for (let i = 0; i < 100_000; i++) run.logMetric('loss', Math.sin(i), { step: i })
    const queuedMs = performance.now() - t0
    await run.end()
    const totalMs = performance.now() - t0
    console.log(
      `100,000 logMetric calls: ${queuedMs.toFixed(0)} ms to queue, ${totalMs.toFixed(0)} ms until stored`,
    )
    const history = await client.getMetricHistory(run.id, 'loss')
    expect(history).toHaveLength(100_000)
    expect(new Set(history.map((m) => m.step)).size).toBe(100_000)
  })

  it('loses no points when the server stops mid-run and comes back', async () => {
    let failures = 0
    let sawFailures: () => void = () => {}
    const retried = new Promise<void>((resolve) => (sawFailures = resolve))
    const counting: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init)
      } catch (e) {
        if (++failures >= 3) sawFailures()
        throw e
      }
    }
    const flaky = new LogbookClient({ trackingUri: server.url, fetch: counting })
    const run = await startRun({ client: flaky })
    for (let i = 0; i < 3000; i++) run.logMetric('x', i, { step: i })
    await run.flush()
    await server.stop()
    // Logged while the server is down: queued and retried, never dropped.
    for (let i = 3000; i < 6000; i++) run.logMetric('x', i, { step: i })
    const flushing = run.flush()
    await retried
    expect(run.pendingMetrics).toBe(3000)
    await server.start()
    await flushing
    for (let i = 6000; i < 7000; i++) run.logMetric('x', i, { step: i })
    await run.end()
    const steps = (await client.getMetricHistory(run.id, 'x')).map((m) => m.step)
    expect(steps).toHaveLength(7000)
    expect(new Set(steps).size).toBe(7000)
  })
})
