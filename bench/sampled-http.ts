/**
 * The chart's request alone, over HTTP: `metrics/sampled` for the 50 runs x 1,000,000 points of the
 * UI bench's database (fill it first with `npm run bench:ui -- --work <dir> --only chart`), answered
 * as JSON and as the web UI's bytes, without a browser on the same cores.
 *
 *   npx tsx bench/sampled-http.ts --work /tmp/uib [--reps 7] [--buckets 1218]
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { SAMPLED_BINARY_TYPE } from '../packages/core/src/index.ts'
import { startLogbook } from './servers.ts'
import { round } from './stats.ts'

const { values: args } = parseArgs({
  options: { work: { type: 'string' }, reps: { type: 'string', default: '7' }, buckets: { type: 'string', default: '1218' } },
})
if (!args.work) throw new Error('--work <dir>: the folder of a filled `npm run bench:ui` database')
const root = fileURLToPath(new URL('..', import.meta.url))
const logDir = join(root, 'bench/results/logs')
mkdirSync(logDir, { recursive: true })

const server = await startLogbook({ root, storeUri: `sqlite:///${join(args.work, 'logbook.db')}`, dataDir: args.work, logDir })
try {
  const base = `http://127.0.0.1:${server.port}`
  const post = (path: string, body: unknown, accept = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) })
  const exp = (await (await fetch(`${base}/api/2.0/mlflow/experiments/get-by-name?experiment_name=ui-bench-charts`)).json()) as { experiment: { experiment_id: string } }
  const found = (await (await post('/api/2.0/mlflow/runs/search', { experiment_ids: [exp.experiment.experiment_id], max_results: 100 })).json()) as { runs: { info: { run_id: string } }[] }
  const body = { run_ids: found.runs.map((r) => r.info.run_id), metric_key: 'loss', x_axis: 'step', buckets: Number(args.buckets) }
  for (const [name, accept] of [['JSON', 'application/json'], ['bytes', SAMPLED_BINARY_TYPE]] as const) {
    const ms: number[] = []
    let size = 0
    for (let i = 0; i < Number(args.reps); i++) {
      const t = performance.now()
      const res = await post('/ajax-api/2.0/logbook/metrics/sampled', body, accept)
      size = (await res.arrayBuffer()).byteLength
      ms.push(round(performance.now() - t, 1))
    }
    const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]
    console.log(`${name}: ${body.run_ids.length} runs, ${round(size / 1e6, 2)} MB, median ${median} ms (${ms.join(', ')})`)
  }
} finally {
  await server.stop()
}
