/**
 * Measures the runs table at scale (not part of `npm test`): fills a SQLite store in-process with N
 * runs (5 params, 3 metrics, 2 tags each, 10 of every 1000 runs a parent with children), starts
 * `logbook server` on it and drives Chromium through the page. Prints timings as JSON.
 *
 *   npm run build:ui && npx tsx test/e2e/runs-table-scale.ts 100000 [/path/to/keep.sqlite]
 *
 * With a database path the filled store is kept there and reused by the next run (filling 100,000
 * runs takes ~12 minutes on this machine).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openTrackingStore } from '../../packages/store/src/index.ts'
import { freePort } from '../../packages/store/src/testing/free-port.ts'
import { launchBrowser, openPage, screenshot } from './browser.ts'

const N = Number(process.argv[2] ?? 10_000)
const CLI = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url))

async function fill(dbUri: string): Promise<string> {
  const store = await openTrackingStore(dbUri, { defaultArtifactRoot: 'mlflow-artifacts:' })
  const experimentId = await store.createExperiment(`scale-${N}`, undefined, [])
  const t0 = Date.UTC(2026, 0, 1)
  let parent = ''
  for (let i = 0; i < N; i++) {
    const tags = [
      { key: 'shard', value: String(i % 16) },
      { key: 'team', value: ['vision', 'nlp', 'speech'][i % 3]! },
    ]
    if (i % 100 > 0 && i % 100 <= 5 && parent)
      tags.push({ key: 'mlflow.parentRunId', value: parent })
    const run = await store.createRun({
      experimentId,
      runName: `run-${String(i).padStart(6, '0')}`,
      startTime: t0 + i * 1000,
      userId: 'bench',
      tags,
    })
    if (i % 100 === 0) parent = run.info.run_id
    await store.logBatch(run.info.run_id, {
      params: [
        { key: 'optimizer', value: ['adam', 'sgd', 'rmsprop'][i % 3]! },
        { key: 'lr', value: String((i % 10) / 100) },
        { key: 'batch_size', value: String(2 ** (4 + (i % 4))) },
        { key: 'seed', value: String(i) },
        { key: 'layers', value: String(2 + (i % 6)) },
      ],
      metrics: [
        { key: 'loss', value: ((i * 7919) % 10007) / 10007, timestamp: t0, step: 0 },
        { key: 'acc', value: (i % 1000) / 1000, timestamp: t0, step: 0 },
        { key: 'f1', value: ((i * 31) % 997) / 997, timestamp: t0, step: 0 },
      ],
      tags: [],
    })
    if (i % 10_000 === 9_999) console.error(`filled ${i + 1}`)
  }
  await (store as unknown as { close?: () => Promise<void> }).close?.()
  return experimentId
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-ui-scale-'))
  const keep = process.argv[3]
  const dbUri = `sqlite:///${keep ?? join(dir, 'db.sqlite')}`
  const fillStart = performance.now()
  const experimentId = keep && existsSync(keep) ? '1' : await fill(dbUri)
  const fillMs = performance.now() - fillStart
  const port = await freePort()
  const server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--backend-store-uri',
      dbUri,
      '--artifacts-destination',
      join(dir, 'artifacts'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((resolve) =>
    server.stdout!.on('data', (c: Buffer) => c.toString().includes('listening on') && resolve()),
  )
  const browser = await launchBrowser()
  try {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    const grid = page.getByRole('grid', { name: 'Runs' })
    const firstRun = grid.locator('.grid-body [role=row].run').first()
    const time = async (what: () => Promise<unknown>): Promise<number> => {
      const t = performance.now()
      await what()
      return Math.round(performance.now() - t)
    }
    const url = `${`http://127.0.0.1:${port}`}/experiments/${experimentId}?cols=${encodeURIComponent('metrics.loss,min(metrics.acc),params.lr,params.optimizer,tags.team')}`
    const result: Record<string, number | string> = { runs: N, fill_ms: Math.round(fillMs) }
    result.first_rows_ms = await time(async () => {
      await page.goto(url)
      await firstRun.waitFor({ timeout: 120_000 })
    })
    result.total_text = (await page.locator('.runs-total').textContent()) ?? ''
    result.sort_metric_ms = await time(async () => {
      await page.getByRole('button', { name: 'Sort by metrics.loss', exact: true }).click()
      await page.waitForFunction(
        () =>
          Number(document.querySelector('.grid-body [role=row].run .cell.num')?.textContent) >
          0.999,
        undefined,
        { timeout: 120_000 },
      )
    })
    result.filter_or_ms = await time(async () => {
      const filter = page.getByRole('combobox', { name: 'Filter runs' })
      await filter.fill("params.optimizer = 'sgd' OR metrics.acc > 0.99")
      await filter.press('Enter')
      await page.waitForFunction(
        () =>
          /runs/.test(document.querySelector('.runs-total')?.textContent ?? '') &&
          !document.querySelector('.grid-body [role=row].pending:first-child'),
        undefined,
        { timeout: 120_000 },
      )
    })
    result.filtered_total = (await page.locator('.runs-total').textContent()) ?? ''
    result.group_by_ms = await time(async () => {
      await page.goto(`${url}&group=params.optimizer`)
      await grid.locator('.grid-body [role=row].group').first().waitFor({ timeout: 120_000 })
    })
    await page.goto(url)
    await firstRun.waitFor({ timeout: 120_000 })
    await grid.focus()
    result.page_down_x20_ms = await time(async () => {
      for (let k = 0; k < 20; k++) await page.keyboard.press('PageDown')
    })
    result.dom_rows = await grid.locator('.grid-body [role=row]').count()
    result.scroll_to_5000_ms = await time(async () => {
      await grid.evaluate((el) => (el.scrollTop = 5000 * 32))
      await page.waitForFunction(
        () => document.querySelectorAll('.grid-body [role=row].pending').length === 0,
        undefined,
        { timeout: 300_000 },
      )
    })
    await screenshot(page, 'runs-table-scale-100k')
    result.console_errors = errors.length
    console.log(JSON.stringify(result, null, 1))
  } finally {
    await browser.close()
    server.kill('SIGTERM')
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
