import { describe, expect, it } from 'vitest'
import { chromiumAvailable, openPage, screenshot } from './browser.ts'
import { seedSmallDemo, useUiServer } from './ui-server.ts'
import { seedUiRuns } from './ui-seed.ts'

describe.skipIf(!chromiumAvailable())('compare page', () => {
  const ui = useUiServer(
    async (url) => ({ seed: await seedUiRuns(url), ...(await seedSmallDemo(url)) }),
    180_000,
  )

  it('diffs params and metrics, hides equal rows, draws parallel coordinates and a scatter plot', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/compare?runs=${ui.seed.parent},${ui.seed.sibling}`)
    const table = page.locator('table.diff-table')
    await table.waitFor()
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Key',
      ' baseline',
      ' high-lr',
    ])
    const row = (key: string) => table.locator(`tr[data-key="${key}"]`)
    expect(await row('params.lr').locator('td').allTextContents()).toEqual(['lr', '0.01', '0.1'])
    expect(await row('params.lr').getAttribute('class')).toBe('differs')
    expect(await row('params.batch_size').getAttribute('class')).toBeNull()
    await row('metrics.loss').waitFor()

    await page.getByLabel('Only differences').check()
    await row('params.batch_size').waitFor({ state: 'detached' })
    expect(await row('params.epochs').count()).toBe(0)
    for (const key of ['params.lr', 'params.optimizer', 'metrics.loss', 'metrics.accuracy'])
      expect(await row(key).count()).toBe(1)
    expect(new URL(page.url()).searchParams.get('diff')).toBe('1')

    // Parallel coordinates: one line per run over the varying columns (lr, optimizer, accuracy, loss).
    const lines = page.locator('svg.parallel-coordinates path.pc-line')
    expect(await lines.count()).toBe(2)
    for (const d of await lines.evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''))) {
      expect(d.match(/[ML]/g)?.length).toBe(4)
    }
    expect(await page.locator('svg.parallel-coordinates .pc-label').allTextContents()).toEqual([
      'lr',
      'optimizer',
      'accuracy',
      'loss',
    ])
    // Adding an axis from the chooser updates the URL and the lines.
    await page.getByText(/^Axes \(/).click()
    await page.getByLabel('Axis params.batch_size').check()
    await expect.poll(() => page.locator('svg.parallel-coordinates .pc-label').count()).toBe(5)

    // Scatter: x = lr (varying numeric param), y = a metric; change y.
    const points = page.locator('svg.scatter-plot circle.sp-point')
    expect(await points.count()).toBe(2)
    await page.getByLabel('Scatter Y').selectOption('metrics.loss')
    await expect
      .poll(() => page.locator('svg.scatter-plot').getAttribute('aria-label'))
      .toBe('Scatter of loss against lr')
    const xs = await points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))))
    expect(xs[0]).toBeLessThan(xs[1]!)
    await screenshot(page, 'compare')
    await page.locator('svg.parallel-coordinates').scrollIntoViewIfNeeded()
    await screenshot(page, 'compare-plots')

    // A third run without most params: everything it lacks counts as a difference.
    await page.goto(
      `${ui.server.url}/compare?runs=${ui.seed.parent},${ui.seed.sibling},${ui.seed.child}`,
    )
    await table.waitFor()
    expect(await row('params.fold').locator('td').allTextContents()).toEqual([
      'fold',
      '—',
      '—',
      '1',
    ])
    expect(await row('params.batch_size').getAttribute('class')).toBe('differs')
    expect(await page.locator('svg.parallel-coordinates path.pc-line').count()).toBe(3)
    expect(errors).toEqual([])
  })

  it('compares the children of the demo sweep', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    const ids = ui.demo.sweep.childRunIds
    await page.goto(`${ui.server.url}/compare?runs=${ids.join(',')}&diff=1`)
    const table = page.locator('table.diff-table')
    await table.waitFor()
    expect(await table.locator('thead th').count()).toBe(ids.length + 1)
    const rows = table.locator('tr[data-key]')
    expect(await rows.count()).toBeGreaterThan(0)
    expect(await table.locator('tr[data-key]:not(.differs)').count()).toBe(0)
    expect(await page.locator('svg.parallel-coordinates path.pc-line').count()).toBe(ids.length)
    expect(await page.locator('svg.scatter-plot circle.sp-point').count()).toBeGreaterThan(1)
    await screenshot(page, 'compare-sweep')
    await page.locator('svg.parallel-coordinates').scrollIntoViewIfNeeded()
    await screenshot(page, 'compare-sweep-plots')
    expect(errors).toEqual([])
  })
})
