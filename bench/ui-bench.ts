/**
 * `npm run bench:ui`: the web UI at scale in headless Chromium, next to MLflow's own UI.
 *
 * - An experiment of 100,000 runs x 50 params x 20 metrics (written in bulk through the store layer,
 *   bench/fixtures/large-experiment.ts): time from navigation to the first rows of the runs table,
 *   and from clicking a metric column's header to the re-sorted first row.
 * - A chart of 50 runs x 1,000,000 points each (logged through store.logBatch): time from navigation
 *   to the drawn chart (canvas present, no series still loading), on the step and wall-time axes.
 * - The same 100,000-run experiment written into MLflow's tables (bench/ui/mlflow-fill.ts) and opened
 *   in MLflow's UI: time to its first rows, and to rows sorted by a metric, where it loads at all.
 *
 *   npm run bench:ui [-- --quick] [-- --work <dir>: keep and reuse both filled databases there] [-- --skip-mlflow]
 *     [-- --only chart: Logbook's chart figures alone] [-- --timeline: print each chart load's requests]
 * Writes bench/results/<time>-ui.json and prints a markdown table.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { createSqlTrackingStore, openAdapter } from '../packages/store/src/index.ts'
import { launchBrowser, openPage, screenshot } from '../test/e2e/browser.ts'
import { fillLargeExperiment, fillSeries } from './fixtures/large-experiment.ts'
import { waitForQuiet } from './proc.ts'
import { startLogbook, startMlflow, type ServerHandle } from './servers.ts'
import { round } from './stats.ts'
import { fillMlflowDb } from './ui/mlflow-fill.ts'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, db: { type: 'string' }, work: { type: 'string' }, 'skip-mlflow': { type: 'boolean' }, 'skip-logbook': { type: 'boolean' }, only: { type: 'string' }, timeline: { type: 'boolean' }, reps: { type: 'string', default: '3' } },
})
const size = args.quick ? { runs: 2_000, chartRuns: 5, points: 100_000 } : { runs: 100_000, chartRuns: 50, points: 1_000_000 }
const SHAPE = { params: 50, metrics: 20 }
const reps = Number(args.reps)
const log = (m: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`)

interface Timing {
  what: string
  server: 'logbook' | 'mlflow'
  ms: number[]
  note?: string
}
const timings: Timing[] = []
let browser: Browser

/** Time `measure` on a fresh page `reps` times; `setup` runs first and `after` last on the same page, untimed. */
async function timed(
  what: string,
  server: Timing['server'],
  measure: (page: Page) => Promise<void>,
  setup?: (page: Page) => Promise<void>,
  after?: (page: Page) => Promise<void>,
): Promise<void> {
  const ms: number[] = []
  let note: string | undefined
  for (let i = 0; i < reps; i++) {
    const p = await openPage(browser)
    try {
      await setup?.(p)
      const t = performance.now()
      await measure(p)
      ms.push(Math.round(performance.now() - t))
      await after?.(p)
    } catch (error) {
      note = `did not finish: ${(error as Error).message.split('\n')[0]}`
      await screenshot(p, `bench-ui-${server}-failed`).catch(() => undefined)
      await p.close()
      break
    }
    if (i === reps - 1) await screenshot(p, `bench-ui-${server}-${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`)
    await p.close()
  }
  timings.push({ what, server, ms, note })
  log(`${server}: ${what}: ${ms.join(', ')} ms${note ? ` (${note})` : ''}`)
}

class SkipLogbook extends Error {}

/** --timeline: the page's requests from its resource timing, ms since navigation (sent -> finished), and when it was drawn. */
async function printTimeline(page: Page): Promise<void> {
  const { entries, now } = await page.evaluate(() => ({
    now: performance.now(),
    entries: performance.getEntriesByType('resource').map((e) => {
      const r = e as PerformanceResourceTiming
      return { name: r.name, start: r.startTime, end: r.responseEnd, size: r.encodedBodySize }
    }),
  }))
  const lines = entries.map((e) => {
    const path = new URL(e.name).pathname.replace(/^\/ajax-api\/2\.0\//, '')
    return `${String(Math.round(e.start)).padStart(5)} -> ${String(Math.round(e.end)).padStart(5)} ${path} (${Math.round(e.size / 1024)} KiB)`
  })
  const gets = lines.filter((l) => l.includes('runs/get '))
  const shown = [...lines.filter((l) => !l.includes('runs/get ')), ...(gets.length > 1 ? [`${gets.length} x runs/get, the last: ${gets.at(-1)}`] : gets)]
  log(`timeline (ms since navigation; drawn by ${Math.round(now)}):\n  ${shown.join('\n  ')}`)
}

const median = (xs: number[]): number | undefined => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined)

async function fillLogbook(file: string) {
  const adapter = openAdapter(`sqlite:///${file}`)
  const store = await createSqlTrackingStore(adapter, { defaultArtifactRoot: 'mlflow-artifacts:' })
  try {
    const existing = await store.getExperimentByName('ui-bench-table').catch(() => undefined)
    let tableId = existing?.experiment_id
    if (!tableId) {
      const t = performance.now()
      tableId = (await fillLargeExperiment(store, {
        adapter, name: 'ui-bench-table', runs: size.runs, ...SHAPE,
        onProgress: (n) => n % 20_000 === 0 && log(`filled ${n} runs`),
      })).experimentId
      log(`table experiment filled in ${round((performance.now() - t) / 1000, 1)} s`)
    }
    const charts = await store.getExperimentByName('ui-bench-charts').catch(() => undefined)
    const chartsId = charts?.experiment_id ?? (await store.createExperiment('ui-bench-charts'))
    let chartRuns = (await store.runsTable({ experimentIds: [chartsId], orderBy: [], viewType: 'ACTIVE_ONLY', maxResults: 1000, columns: { params: [], metrics: [], tags: [] }, parentsOnly: false })).runs.map((r) => r.run_id)
    if (chartRuns.length < size.chartRuns) {
      const t = performance.now()
      chartRuns = await fillSeries(store, { experimentId: chartsId, runs: size.chartRuns, points: size.points, key: 'loss' })
      log(`${size.chartRuns} x ${size.points} points logged in ${round((performance.now() - t) / 1000, 1)} s`)
    }
    // The run the table must show first once sorted by metrics.m00 descending.
    const top = await store.runsTable({ experimentIds: [tableId], orderBy: [{ entity: 'metric', key: 'm00', ascending: false }] as never, viewType: 'ACTIVE_ONLY', maxResults: 1, columns: { params: [], metrics: [], tags: [] }, parentsOnly: false })
    return { tableId, chartRuns, topName: top.runs[0]!.run_name }
  } finally {
    await store.close()
  }
}

async function main(): Promise<void> {
  const work = args.work ?? mkdtempSync(join(tmpdir(), 'lbui-'))
  mkdirSync(work, { recursive: true })
  chmodSync(work, 0o755)
  const logDir = join(root, 'bench/results/logs')
  const file = args.db ?? join(work, 'logbook.db')
  log(`work folder ${work} (pass --work to reuse the filled databases)`)
  const { tableId, chartRuns, topName } = await fillLogbook(file)
  browser = await launchBrowser()
  let server: ServerHandle | undefined
  try {
    if (args['skip-logbook']) throw new SkipLogbook()
    const onlyChart = args.only === 'chart'
    server = await startLogbook({ root, storeUri: `sqlite:///${file}`, dataDir: work, logDir })
    const base = `http://127.0.0.1:${server.port}`
    await waitForQuiet(120_000, log, server.pids())
    const firstRow = (p: Page) => p.locator('.grid-body [role=row].run').first()
    const tableUrl = `${base}/experiments/${tableId}?cols=${encodeURIComponent('metrics.m00,min(metrics.m00),metrics.m01,params.p00,params.p01,tags.team')}`
    if (!onlyChart) {
      await timed(`runs table: first rows of ${size.runs.toLocaleString('en-US')} runs`, 'logbook', async (p) => {
        await p.goto(tableUrl)
        await firstRow(p).waitFor({ timeout: 60_000 })
      })
      await timed(
        'runs table: re-sort by a metric (header click to re-sorted first row)',
        'logbook',
        async (p) => {
          await p.getByRole('button', { name: 'Sort by metrics.m00', exact: true }).click()
          await p.waitForFunction((name) => document.querySelector('.grid-body [role=row].run')?.textContent?.includes(name) === true, topName, { timeout: 60_000 })
        },
        async (p) => {
          await p.goto(tableUrl)
          await firstRow(p).waitFor({ timeout: 60_000 })
        },
      )
    }
    // The step axis (block summaries), then wall time (the same summaries for ordered series).
    for (const x of ['step', 'time'] as const) {
      const chartUrl = `${base}/charts?runs=${chartRuns.join(',')}&metrics=loss${x === 'step' ? '' : `&x=${x}`}`
      const label = `chart${x === 'step' ? '' : ' on the wall-time axis'}: ${size.chartRuns} runs x ${size.points.toLocaleString('en-US')} points`
      await timed(label, 'logbook', async (p) => {
        await p.goto(chartUrl)
        const figure = p.locator('figure[data-metric="loss"]')
        await figure.locator('canvas').first().waitFor({ timeout: 60_000 })
        await p.waitForFunction(() => {
          const f = document.querySelector('figure[data-metric="loss"]')
          const loading = Array.from(f?.querySelectorAll('.chart-note') ?? []).some((n) => n.textContent?.includes('loading'))
          return f !== null && !loading && Number(f.getAttribute('data-points')) > 0
        }, undefined, { timeout: 60_000 })
      }, undefined, async (p) => {
        if (args.timeline) await printTimeline(p)
      })
    }
  } catch (error) {
    if (!(error instanceof SkipLogbook)) throw error
  } finally {
    await server?.stop()
  }
  if (!args['skip-mlflow'] && args.only !== 'chart') {
    const mlDir = join(work, 'mlflow')
    mkdirSync(mlDir, { recursive: true })
    const mlDb = join(mlDir, 'mlflow.db')
    const t = performance.now()
    if (!existsSync(mlDb)) fillMlflowDb(join(root, '.venv/bin/mlflow'), mlDb, { runs: size.runs, ...SHAPE })
    log(`MLflow database filled in ${round((performance.now() - t) / 1000, 1)} s`)
    const ml = await startMlflow({ root, storeUri: `sqlite:///${mlDb}`, dataDir: mlDir, logDir })
    try {
      await waitForQuiet(120_000, log, ml.pids())
      const base = `http://127.0.0.1:${ml.port}`
      const newest = `run-${size.runs - 1}`
      await timed(`runs table: first rows of ${size.runs.toLocaleString('en-US')} runs`, 'mlflow', async (p) => {
        await p.goto(`${base}/#/experiments/1/runs`)
        await p.getByText(newest, { exact: true }).first().waitFor({ timeout: 120_000 })
      })
      await timed('runs table: sorted by a metric (URL with orderByKey)', 'mlflow', async (p) => {
        await p.goto(`${base}/#/experiments/1/runs?orderByKey=${encodeURIComponent('metrics.`metric_0`')}&orderByAsc=false`)
        await p.locator('text=/^run-\\d+$/').first().waitFor({ timeout: 120_000 })
      })
    } finally {
      await ml.stop()
    }
  }
  await browser.close()
  const lines = [
    `| view | Logbook median (runs) | MLflow median (runs) | ratio |`,
    `|---|---:|---:|---:|`,
  ]
  const whats = [...new Set(timings.map((t) => t.what))]
  for (const what of whats) {
    const lb = timings.find((t) => t.what === what && t.server === 'logbook')
    const mf = timings.find((t) => t.what === what && t.server === 'mlflow')
    const a = median(lb?.ms ?? [])
    const b = median(mf?.ms ?? [])
    const cell = (t: Timing | undefined, m: number | undefined) => (t ? (m !== undefined ? `${m} ms (${t.ms.join(', ')})` : t.note ?? 'n/a') : '—')
    lines.push(`| ${what} | ${cell(lb, a)} | ${cell(mf, b)} | ${a && b ? `${round(b / a, 1)}x` : ''} |`)
  }
  process.stdout.write(lines.join('\n') + '\n')
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}-ui.json`), JSON.stringify({ size, timings, table: lines }, null, 2))
}

main().catch((error: unknown) => {
  log(String(error instanceof Error ? error.stack : error))
  process.exit(1)
})
