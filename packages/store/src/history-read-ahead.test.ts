import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Metric } from '@logbook/core'
import type { LogbookStore } from './logbook-store.ts'
import { openTrackingStore } from './open-store.ts'
import { withHistoryReadAhead } from './history-read-ahead.ts'

const dir = mkdtempSync(join(tmpdir(), 'logbook-read-ahead-'))
let base: LogbookStore
let calls = 0
let store: LogbookStore
let run: string

const tick = () => new Promise((r) => setImmediate(r))
const points = (from: number, n: number, value = 1): Metric[] =>
  Array.from({ length: n }, (_, i) => ({ key: 'loss', step: from + i, timestamp: from + i, value }))

async function readAll(s: LogbookStore, max: number, between?: (page: number) => Promise<void>): Promise<string[]> {
  const out: string[] = []
  let token: string | undefined
  do {
    const page = await s.getMetricHistoryJson(run, 'loss', max, token)
    out.push(page.metricsJson)
    token = page.nextPageToken
    await tick()
    await between?.(out.length)
  } while (token)
  return out
}

beforeAll(async () => {
  base = await openTrackingStore(`sqlite:///${join(dir, 'h.db')}`, { defaultArtifactRoot: 'mlflow-artifacts:' })
  // Counts the reads that reach the store.
  const counted: LogbookStore = {
    ...base,
    getMetricHistoryJson: (...args) => {
      calls++
      return base.getMetricHistoryJson(...args)
    },
  }
  store = withHistoryReadAhead(counted)
  run = (await base.createRun({ tags: [] })).info.run_id
  for (let b = 0; b < 6; b++) await base.logBatch(run, { metrics: points(b * 1000, 1000, b), params: [], tags: [] })
})
afterAll(async () => {
  await base.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('history read-ahead', () => {
  it('answers every page as the store does, each next page already read when it is asked for', async () => {
    const plain = await readAll(base, 2_500)
    calls = 0
    const ahead = await readAll(store, 2_500)
    expect(ahead).toEqual(plain)
    expect(ahead).toHaveLength(3)
    // Page 1 on request; pages 2 and 3 read ahead and served from memory.
    expect(calls).toBe(3)
    expect(JSON.parse(ahead.join('').replaceAll('][', ',')) as unknown[]).toHaveLength(6_000)
  })

  it('drops a page read ahead when its run is written to before it is asked for', async () => {
    const pages = await readAll(store, 2_500, async (page) => {
      // Between pages 1 and 2: overwrite nothing, add points inside page 2's range.
      if (page === 1) await store.logBatch(run, { metrics: [{ key: 'loss', step: 3_000, timestamp: 1, value: 42 }], params: [], tags: [] })
    })
    const all = JSON.parse(pages.join('').replaceAll('][', ',')) as Metric[]
    expect(all).toHaveLength(6_001)
    expect(all.some((m) => m.value === 42 && m.step === 3_000)).toBe(true)
    expect(all.map((m) => m.step)).toEqual([...all.map((m) => m.step)].sort((a, b) => a - b))
  })

  it('reads pages on request when the client asks for other sizes or keys', async () => {
    calls = 0
    await store.getMetricHistoryJson(run, 'loss', 2_500, undefined)
    await tick()
    const other = await store.getMetricHistoryJson(run, 'loss', 1_000, undefined)
    expect(JSON.parse(other.metricsJson)).toHaveLength(1_000)
    expect(calls).toBe(3)
  })
})
