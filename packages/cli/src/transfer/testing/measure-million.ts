/**
 * Measurement, not a test: export and import of one run with N metric points (default 1,000,000)
 * between two real servers, timing each command and reading its peak RSS from /usr/bin/time.
 *   node --import tsx packages/cli/src/transfer/testing/measure-million.ts [N]
 *   HEAP=64 ... runs the CLI with --max-old-space-size=64 to show memory does not grow with N.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LogbookClient } from '@logbook/sdk'
import { startTestServer } from '../../../../sdk/src/testing/server.ts'

const N = Number(process.argv[2] ?? 1_000_000)
const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))
async function main(): Promise<void> {
  const [a, b] = await Promise.all([startTestServer(), startTestServer()])
  try {
    const client = new LogbookClient({ trackingUri: a.url })
    const exp = await client.createExperiment('million')
    const run = await client.createRun({ experimentId: exp, runName: 'm' })
    let t = Date.now()
    const inflight: Promise<void>[] = []
    for (let s = 0; s < N; s += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: 'loss',
        value: Math.cos(s + i),
        timestamp: 1e12 + s + i,
        step: s + i,
      }))
      inflight.push(client.logBatch(run.info.run_id, { metrics }))
      if (inflight.length >= 4) await inflight.shift()
    }
    await Promise.all(inflight)
    console.log(`seeded ${N} points in ${(Date.now() - t) / 1000}s`)
    const dest = `${a.dir}/export`
    for (const [label, args] of [
      ['export', ['export', '--tracking-uri', a.url, '--all', '--dest', dest, '--quiet']],
      ['import', ['import', '--tracking-uri', b.url, '--src', dest, '--quiet']],
    ] as const) {
      t = Date.now()
      const r = spawnSync(
        '/usr/bin/time',
        [
          '-v',
          process.execPath,
          ...(process.env.HEAP ? [`--max-old-space-size=${process.env.HEAP}`] : []),
          '--import',
          'tsx',
          MAIN,
          ...args,
        ],
        { encoding: 'utf8', cwd: ROOT },
      )
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]
      console.log(
        `${label}: exit ${r.status}, ${(Date.now() - t) / 1000}s, max RSS ${Number(rss) / 1024} MB; ${r.stdout.trim()}`,
      )
      if (r.status !== 0) console.log(r.stderr)
    }
    const c2 = new LogbookClient({ trackingUri: b.url })
    const e2 = await c2.getExperimentByName('million')
    const runs = await c2.searchRuns({ experimentIds: [e2.experiment_id] })
    let count = 0
    let tok: string | undefined
    do {
      const p = await c2.getMetricHistoryPage(runs.runs[0]!.info.run_id, 'loss', { pageToken: tok })
      count += p.metrics.length
      tok = p.nextPageToken
    } while (tok)
    console.log(`target has ${count} points`)
  } finally {
    await Promise.all([a.dispose(), b.dispose()])
  }
}

await main()
