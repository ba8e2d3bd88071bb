import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../../packages/sdk/src/testing/server.ts'
import { chromiumAvailable, launchBrowser, openPage, screenshot } from './browser.ts'
import { seedDemo, type DemoSummary } from '../../packages/cli/src/demo/seed.ts'
import { seedUiRuns, type SeededRuns } from './ui-seed.ts'

/** 2,000 by default; LOGBOOK_E2E_WIDE_KEYS=5000 checks the brief's worst case. */
const WIDE_KEYS = Number(process.env.LOGBOOK_E2E_WIDE_KEYS ?? 2000)
const LONG_POINTS = 6000

describe.skipIf(!chromiumAvailable())('charts', () => {
  let server: TestServer
  let browser: Browser
  let seed: SeededRuns
  let wide: string
  let long: string
  let demo: DemoSummary
  beforeAll(async () => {
    server = await startTestServer()
    seed = await seedUiRuns(server.url)
    demo = await seedDemo(server.url, { scale: 'small' })
    const { client, experimentId } = seed
    // 2,000 metric keys in two log-batch calls (MLflow's limit is 1,000 metrics per batch).
    wide = (await client.createRun({ experimentId, runName: 'wide' })).info.run_id
    for (let start = 0; start < WIDE_KEYS; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: `k${String(start + i).padStart(4, '0')}`,
        value: (start + i) % 7,
        timestamp: Date.now(),
        step: 0,
      }))
      await client.logBatch(wide, { metrics })
    }
    // A long, noisy series: more points than the chart's buckets, so it is sampled (min..max band).
    long = (await client.createRun({ experimentId, runName: 'long' })).info.run_id
    const t0 = Date.now() - LONG_POINTS * 100
    for (let start = 0; start < LONG_POINTS; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => {
        const step = start + i
        const noise = (Math.abs(Math.sin(step * 12.9898) * 43758.5453) % 1) - 0.5
        return {
          key: 'loss',
          value: 3 / (1 + step / 300) + 0.5 * noise * Math.exp(-step / 3000),
          timestamp: t0 + step * 100,
          step,
        }
      })
      await client.logBatch(long, { metrics })
    }
    // A run that diverged: every point of `diverged` is NaN or infinite.
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NaN]
    await client.logBatch(long, { metrics: bad.map((value, step) => ({ key: 'diverged', value, timestamp: t0, step })) })
    browser = await launchBrowser()
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  const canvasImage = (page: Page, metric: string): Promise<string> =>
    page
      .locator(`figure[data-metric="${metric}"] canvas`)
      .first()
      .evaluate((c: HTMLCanvasElement) => c.toDataURL())

  async function drawn(page: Page, metric: string): Promise<void> {
    await page.locator(`figure[data-metric="${metric}"] canvas`).first().waitFor()
    await expect
      .poll(() =>
        page.locator(`figure[data-metric="${metric}"] .chart-note`, { hasText: 'loading' }).count(),
      )
      .toBe(0)
  }

  it('draws a metric across runs with a legend, and switches x-axis, log scale and smoothing', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    await page.goto(
      `${server.url}/charts?runs=${seed.parent},${seed.sibling}&metrics=loss,accuracy`,
    )
    await expect.poll(() => page.locator('figure.metric-chart').count()).toBe(2)
    await drawn(page, 'loss')
    await drawn(page, 'accuracy')
    expect(await page.locator('figure[data-metric=loss] .legend-name').allTextContents()).toEqual([
      'baseline',
      'high-lr',
    ])
    expect(await page.locator('figure[data-metric=loss]').getAttribute('data-points')).toBe('200')
    await screenshot(page, 'charts')

    const before = await canvasImage(page, 'loss')
    const figure = page.locator('figure[data-metric=loss]')
    const xRange = async (): Promise<[number, number]> => [
      Number(await figure.getAttribute('data-x-min')),
      Number(await figure.getAttribute('data-x-max')),
    ]
    expect(await xRange()).toEqual([0, 99])
    // Wall time: epoch seconds (the seed logs one point per second from each run's start).
    await page.getByLabel('X axis').selectOption('time')
    await expect.poll(() => new URL(page.url()).searchParams.get('x')).toBe('time')
    await expect.poll(() => figure.getAttribute('data-x')).toBe('time')
    await drawn(page, 'loss')
    const [t0, t1] = await xRange()
    const parentStart = (await seed.client.getRun(seed.parent)).info.start_time / 1000
    expect(t0).toBe(parentStart)
    expect(t1 - t0).toBeGreaterThanOrEqual(99)
    expect(t1 - t0).toBeLessThan(99 + 60)
    await expect.poll(() => canvasImage(page, 'loss')).not.toBe(before)
    // Relative: seconds since each run's start time.
    await page.getByLabel('X axis').selectOption('relative')
    await expect.poll(() => figure.getAttribute('data-x')).toBe('relative')
    await drawn(page, 'loss')
    expect(await xRange()).toEqual([0, 99])
    // Another metric as x: loss against accuracy, paired by step.
    await page.getByLabel('X axis').selectOption('metric:accuracy')
    await expect.poll(() => figure.getAttribute('data-x')).toBe('metric:accuracy')
    await drawn(page, 'loss')
    const [a0, a1] = await xRange()
    expect(a0).toBeCloseTo(0.1, 5)
    expect(a1).toBeGreaterThan(0.95)
    expect(a1).toBeLessThan(1)
    expect(await figure.getAttribute('data-points')).toBe('200')
    await page.getByLabel('X axis').selectOption('step')
    await drawn(page, 'loss')
    await expect.poll(() => canvasImage(page, 'loss')).toBe(before)

    await page.getByLabel('Log scale').check()
    await expect.poll(() => new URL(page.url()).searchParams.get('log')).toBe('1')
    await expect.poll(() => canvasImage(page, 'loss')).not.toBe(before)
    const logged = await canvasImage(page, 'loss')
    await page.getByLabel('Log scale').uncheck()
    await expect.poll(() => canvasImage(page, 'loss')).toBe(before)

    await page.getByLabel('Smoothing').fill('0.9')
    await expect.poll(() => new URL(page.url()).searchParams.get('smooth')).toBe('0.9')
    await expect.poll(() => canvasImage(page, 'loss')).not.toBe(before)
    expect(await canvasImage(page, 'loss')).not.toBe(logged)
    // Settings live in the URL: a reload draws the same chart.
    await page.reload()
    await drawn(page, 'loss')
    expect(await page.getByLabel('Smoothing').inputValue()).toBe('0.9')
    // The metric picker: remove one chart, add it back.
    await page.getByRole('button', { name: 'Remove metric accuracy' }).click()
    await expect.poll(() => page.locator('figure.metric-chart').count()).toBe(1)
    await page.getByLabel('Add a metric').fill('accuracy')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('metrics')).toBe('loss,accuracy')
    await drawn(page, 'accuracy')
    expect(errors).toEqual([])
  })

  it('says why a metric with only NaN or infinite values has nothing to draw', async () => {
    const page = await openPage(browser)
    await page.goto(`${server.url}/charts?runs=${long}&metrics=diverged`)
    const figure = page.locator('figure[data-metric="diverged"]')
    await expect.poll(() => figure.locator('.chart-empty').textContent()).toContain('Only NaN or infinite values')
    expect(await figure.getAttribute('data-points')).toBe('3')
    expect(await figure.locator('canvas').count()).toBe(0)
    await page.close()
  })

  it('draws a min..max band for sampled series and re-fetches detail for a zoomed range', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    const requests: Record<string, unknown>[] = []
    page.on('request', (req) => {
      if (req.url().endsWith('/ajax-api/2.0/logbook/metrics/sampled'))
        requests.push(req.postDataJSON() as Record<string, unknown>)
    })
    await page.goto(`${server.url}/charts?runs=${long},${seed.parent}&metrics=loss`)
    await drawn(page, 'loss')
    const figure = page.locator('figure[data-metric=loss]')
    expect(await figure.getAttribute('data-sampled')).toBe('true')
    // One request, once the chart knows its width (about one bucket per pixel).
    expect(requests).toHaveLength(1)
    const buckets = Number(requests[0]!.buckets)
    expect(buckets).toBeGreaterThan(300)
    expect(requests[0]).not.toHaveProperty('min_x')
    // Two runs: the long one in at most `buckets` buckets, the short one raw (100 points).
    expect(Number(await figure.getAttribute('data-points'))).toBeLessThanOrEqual(buckets + 100)
    await screenshot(page, 'charts-band')

    const over = figure.locator('.u-over')
    const box = (await over.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.33, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => figure.getAttribute('data-zoomed')).toBe('true')
    await drawn(page, 'loss')
    const zoom = requests.find((r) => 'min_x' in r)
    expect(zoom).toBeDefined()
    const [minX, maxX] = [Number(zoom!.min_x), Number(zoom!.max_x)]
    // 30%..33% of the x range 0..5999.
    expect(minX).toBeGreaterThan(1700)
    expect(maxX).toBeLessThan(2100)
    expect(maxX - minX).toBeGreaterThan(100)
    // About 180 steps, fewer than the buckets: raw points, no aggregation left.
    await expect.poll(() => figure.getAttribute('data-sampled')).toBe('false')
    expect(Number(await figure.getAttribute('data-x-min'))).toBeGreaterThanOrEqual(Math.ceil(minX))
    // The short run has no points in the zoomed range, so it leaves the legend.
    expect(await figure.locator('.legend-name').allTextContents()).toEqual(['long'])
    await screenshot(page, 'charts-zoomed')
    await figure.getByRole('button', { name: 'Reset zoom' }).click()
    await expect.poll(() => figure.getAttribute('data-zoomed')).toBe('false')
    await expect.poll(() => figure.getAttribute('data-sampled')).toBe('true')

    // Hovering shows each run's value in the legend (the short run has no point at step ~3000).
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2)
    await expect.poll(() => figure.locator('.legend-value').count()).toBe(2)
    const [longValue, shortValue] = await figure.locator('.legend-value').allTextContents()
    expect(Number(longValue)).toBeGreaterThan(0)
    expect(Number(longValue)).toBeLessThan(1)
    expect(shortValue).toBe('—')

    // Relative time: a zoom asks each run for the same window after its own start time.
    await page.getByLabel('X axis').selectOption('relative')
    await expect.poll(() => figure.getAttribute('data-x')).toBe('relative')
    await drawn(page, 'loss')
    requests.length = 0
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => figure.getAttribute('data-zoomed')).toBe('true')
    await drawn(page, 'loss')
    const perRun = requests.filter((r) => 'min_x' in r)
    expect(perRun.map((r) => (r.run_ids as string[]).join(',')).sort()).toEqual(
      [long, seed.parent].sort(),
    )
    const starts = new Map<string, number>()
    for (const id of [long, seed.parent])
      starts.set(id, (await seed.client.getRun(id)).info.start_time)
    const windows = perRun.map((r) => {
      const start = starts.get((r.run_ids as string[])[0]!)!
      return [Number(r.min_x) - start, Number(r.max_x) - start]
    })
    expect(windows[0]![0]).toBeCloseTo(windows[1]![0]!, -1)
    expect(windows[0]![1]).toBeCloseTo(windows[1]![1]!, -1)
    expect(errors).toEqual([])
  })

  it('takes the series asked for while the bundle loaded on every axis it can (one request each)', async () => {
    for (const [x, axis] of [['time', 'timestamp'], ['relative', 'timestamp'], ['step', 'step']] as const) {
      const errors: string[] = []
      const page = await openPage(browser, errors)
      // The bundle arrives 500 ms late: a request made before then is the preload's, not the app's.
      let bundled = false
      await page.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 500))
        await route.continue()
      })
      page.on('requestfinished', (req) => {
        if (/\/assets\/index-[^/]*\.js$/.test(req.url())) bundled = true
      })
      const requests: { axis: unknown; beforeBundle: boolean }[] = []
      page.on('request', (req) => {
        if (req.url().endsWith('/ajax-api/2.0/logbook/metrics/sampled'))
          requests.push({ axis: (req.postDataJSON() as Record<string, unknown>).x_axis, beforeBundle: !bundled })
      })
      await page.goto(`${server.url}/charts?runs=${long},${seed.parent}&metrics=loss&x=${x}`)
      await drawn(page, 'loss')
      expect(await page.locator('figure[data-metric=loss]').getAttribute('data-x')).toBe(x)
      // One request, the preload's: the chart took its answer instead of asking again.
      expect(requests).toEqual([{ axis, beforeBundle: true }])
      expect(errors).toEqual([])
      await page.close()
    }
  })

  it('keeps a run with thousands of metric keys responsive: only charts near the viewport mount', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    let sampledCalls = 0
    page.on('request', (req) => {
      if (req.url().endsWith('/metrics/sampled')) sampledCalls++
    })
    const started = Date.now()
    await page.goto(`${server.url}/runs/${wide}?tab=metrics`)
    await page.getByText(`${WIDE_KEYS} metrics`).waitFor()
    await drawn(page, 'k0000')
    const firstPaint = Date.now() - started
    expect(await page.locator('.lazy-block').count()).toBe(WIDE_KEYS)
    const mounted = (): Promise<number> => page.locator('figure.metric-chart canvas').count()
    expect(await mounted()).toBeGreaterThan(0)
    expect(await mounted()).toBeLessThan(40)
    const scroller = page.locator('main.page')
    for (let i = 1; i <= 6; i++) {
      await scroller.evaluate((el, y) => el.scrollTo(0, y), i * 25_000)
      await page.waitForFunction(
        () => document.querySelectorAll('figure.metric-chart canvas').length > 0,
      )
      expect(await mounted()).toBeLessThan(40)
    }
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await drawn(page, `k${WIDE_KEYS - 1}`)
    expect(await page.locator('figure[data-metric=k0000]').count()).toBe(0)
    expect(sampledCalls).toBeLessThan(200)
    await screenshot(page, 'run-metrics-many-keys')

    await page.getByLabel('Search metrics').fill('k1234')
    await page.getByText(`1 of ${WIDE_KEYS} metrics`).waitFor()
    await drawn(page, 'k1234')
    expect(await page.locator('.lazy-block').count()).toBe(1)
    console.log(
      `${WIDE_KEYS}-key run: first chart drawn ${firstPaint} ms after navigation; ${sampledCalls} sampled requests while scrolling`,
    )
    expect(errors).toEqual([])
  })

  it('charts every metric of the demo sweep children with one legend entry per run', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    const ids = demo.sweep.childRunIds
    await page.goto(`${server.url}/charts?runs=${ids.join(',')}`)
    const first = page.locator('figure.metric-chart').first()
    await first.locator('canvas').first().waitFor()
    const metric = (await first.getAttribute('data-metric'))!
    await drawn(page, metric)
    expect(await first.locator('.legend-name').count()).toBe(ids.length)
    await screenshot(page, 'charts-sweep')
    expect(errors).toEqual([])
  })
})
