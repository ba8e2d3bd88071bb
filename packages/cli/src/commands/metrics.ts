import { runGroup } from '../cli-runner.ts'
import type { Args } from '../cli-runner.ts'
import { METRICS } from '../command-table.ts'
import { csvLine, writeOut } from '../output/writers.ts'
import { clientFor } from '../tracking-client.ts'

/** A double as text that reads back to the same number ("NaN", "Infinity" as MLflow writes them). */
const num = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v))

/**
 * `logbook metrics history`: every point of one metric, written page by page as it arrives, so a
 * history of millions of points never sits in memory at once.
 */
async function history(args: Args): Promise<void> {
  const client = clientFor(args)
  const runId = args.required('run-id')
  const key = args.required('key')
  const json = args.string('output') === 'json'
  const pageSize = args.int('page-size') ?? 25_000
  // Fail on a missing run before printing a header.
  await client.getRun(runId)
  await writeOut(json ? '[' : csvLine(['step', 'timestamp', 'value']))
  let pageToken: string | undefined
  let first = true
  do {
    const page = await client.getMetricHistoryPage(runId, key, { maxResults: pageSize, pageToken })
    const lines: string[] = new Array(page.metrics.length)
    for (let i = 0; i < page.metrics.length; i++) {
      const m = page.metrics[i]!
      if (json) {
        const value = Number.isFinite(m.value) ? String(m.value) : `"${num(m.value)}"`
        lines[i] = `${first ? '\n' : ',\n'}  {"step":${m.step},"timestamp":${m.timestamp},"value":${value}}`
        first = false
      } else lines[i] = `${m.step},${m.timestamp},${num(m.value)}\n`
    }
    await writeOut(lines.join(''))
    pageToken = page.nextPageToken
  } while (pageToken)
  if (json) await writeOut(first ? ']\n' : '\n]\n')
}

/** `logbook metrics history`. */
export function metricsCommand(argv: string[]): Promise<number> {
  return runGroup(METRICS, { history }, argv)
}
