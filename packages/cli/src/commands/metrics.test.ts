import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Metric } from '@logbook/core'
import { LogbookClient } from '@logbook/sdk'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { runCli } from '../testing/run-cli.ts'

const POINTS = 25_000
let server: TestServer
let env: Record<string, string>
let runId: string
let logged: Metric[]

/** Values of every kind: fractions, negatives, huge and tiny magnitudes, NaN and infinities. */
function valueAt(i: number): number {
  if (i === 7) return Number.NaN
  if (i === 11) return Infinity
  if (i === 13) return -Infinity
  return Math.sin(i) * 10 ** ((i % 13) - 6) + i / 7
}

const text = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v))

beforeAll(async () => {
  server = await startTestServer()
  env = { LOGBOOK_TRACKING_URI: server.url }
  const client = new LogbookClient({ trackingUri: server.url })
  runId = (await client.createRun({ experimentId: '0' })).info.run_id
  logged = Array.from({ length: POINTS }, (_, i) => ({ key: 'loss', value: valueAt(i), step: i, timestamp: 1_700_000_000_000 + i * 3 }))
  for (let i = 0; i < POINTS; i += 1000) await client.logBatch(runId, { metrics: logged.slice(i, i + 1000) })
  await client.logBatch(runId, { metrics: [1, 2, 3].map((step) => ({ key: 'acc', value: step / 4, step, timestamp: 5 })) })
}, 300_000)
afterAll(() => server?.dispose())

describe('logbook metrics history', () => {
  it('streams all 25,000 points as CSV, identical to what was logged, over several pages', async () => {
    const expected = `step,timestamp,value\n${logged.map((m) => `${m.step},${m.timestamp},${text(m.value)}\n`).join('')}`
    const [paged, onePage] = await Promise.all([
      runCli(['metrics', 'history', '--run-id', runId, '--key', 'loss', '--page-size', '10000'], env),
      runCli(['metrics', 'history', '-r', runId, '-k', 'loss', '--output', 'csv'], env),
    ])
    expect(paged.code).toBe(0)
    expect(paged.stderr).toBe('')
    expect(paged.stdout.length).toBe(expected.length)
    expect(paged.stdout === expected).toBe(true)
    expect(onePage.stdout === expected).toBe(true)
    const values = paged.stdout.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[2]))
    expect(values.map((v, i) => Object.is(v, logged[i]!.value))).not.toContain(false)
  }, 300_000)

  it('writes JSON', async () => {
    const res = await runCli(['metrics', 'history', '-r', runId, '-k', 'acc', '-o', 'json'], env)
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toEqual([1, 2, 3].map((step) => ({ step, timestamp: 5, value: step / 4 })))
    const empty = await runCli(['metrics', 'history', '-r', runId, '-k', 'never-logged', '-o', 'json'], env)
    expect(JSON.parse(empty.stdout)).toEqual([])
  }, 300_000)

  it('fails with 1 for an unknown run and 2 for missing options', async () => {
    const [missingRun, missingKey, badPage] = await Promise.all([
      runCli(['metrics', 'history', '-r', 'f'.repeat(32), '-k', 'loss'], env),
      runCli(['metrics', 'history', '-r', runId], env),
      runCli(['metrics', 'history', '-r', runId, '-k', 'loss', '--page-size', '0'], env),
    ])
    expect(missingRun.code).toBe(1)
    expect(missingRun.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
    expect(missingRun.stdout).toBe('')
    expect(missingKey.code).toBe(2)
    expect(missingKey.stderr).toContain("Missing required option '--key'")
    expect(badPage.code).toBe(2)
  }, 300_000)
})
