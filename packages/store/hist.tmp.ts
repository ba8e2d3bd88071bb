import { mkdtempSync } from 'node:fs'
import { openTrackingStore } from './src/open-store.ts'
const dir = mkdtempSync('/tmp/fl/hist-')
const store = await openTrackingStore(`sqlite:///${dir}/h.db`, { defaultArtifactRoot: 'x' })
const run = (await store.createRun({ tags: [] })).info.run_id
let seed = 3
const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647
for (let b = 0; b < 1000; b++) {
  await store.logBatch(run, { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: rand(), step: b * 1000 + i, timestamp: 1_700_000_000_000 + b * 1000 + i })), params: [], tags: [] })
}
for (let rep = 0; rep < 3; rep++) {
  let token: string | undefined
  let pages = 0, bytes = 0
  const t0 = performance.now()
  do {
    const r = await store.getMetricHistoryJson(run, 'loss', 25_000, token)
    token = r.nextPageToken; pages++; bytes += r.metricsJson.length
  } while (token)
  console.log(`rep ${rep}: ${pages} pages, ${(bytes / 1e6).toFixed(1)} MB, ${(performance.now() - t0).toFixed(0)} ms in the store`)
}
await store.close()
