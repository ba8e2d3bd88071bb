import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../../packages/sdk/src/testing/server.ts'
import { chromiumAvailable, launchBrowser, openPage, screenshot } from './browser.ts'
import { useUiServer } from './ui-server.ts'
import { seedScale } from './scale-seed.ts'
import { seedTable } from './table-seed.ts'

/** Chromium logs every 4xx answer as a console error; the bad-filter cases expect exactly those. */
const unexpected = (errors: string[]): string[] => errors.filter((e) => !/status of 400/.test(e))

describe.skipIf(!chromiumAvailable())('runs table', () => {
  const ui = useUiServer(async (url) => ({ seed: await seedTable(url) }), 60_000)

  const grid = (page: Page) => page.getByRole('grid', { name: 'Runs' })
  const runRows = (page: Page) => grid(page).locator('.grid-body [role=row].run')
  const runNames = (page: Page) => runRows(page).locator('.cell.name a').allTextContents()
  const total = (page: Page) => page.locator('.runs-total').textContent()
  const open = async (page: Page, query = ''): Promise<void> => {
    await page.goto(`${ui.server.url}/experiments/${ui.seed.experimentId}${query}`)
    await runRows(page).first().waitFor()
  }

  it('loads, adds columns from the picker, sorts by a metric header, filters with OR and shows a bad filter', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await open(page)
    // 12 runs and one parent at the top level; the parent's 3 children are nested.
    await expect.poll(() => total(page)).toMatch(/^13 runs/)
    expect(await grid(page).getAttribute('aria-rowcount')).toBe('14')
    expect((await runNames(page)).slice(0, 2)).toEqual(['sweep-parent', 'run-11'])

    await page.getByRole('button', { name: 'Columns' }).click()
    await page.getByLabel('Search column keys').fill('o')
    await page.getByLabel('metric loss last').check()
    await page.getByLabel('metric loss min').check()
    await page.getByLabel('param optimizer').check()
    await screenshot(page, 'runs-table-column-picker')
    await page.keyboard.press('Escape')
    await page.waitForURL(/cols=/)
    await grid(page).getByRole('columnheader', { name: 'params.optimizer' }).waitFor()
    await expect
      .poll(() => runRows(page).first().locator('[role=gridcell]').nth(7).textContent())
      .toBe('0.2')

    await page.getByRole('button', { name: 'Sort by metrics.loss', exact: true }).click()
    await page.waitForURL(/sort=metrics\.loss&dir=desc/)
    await expect.poll(async () => (await runNames(page))[0]).toBe('run-00')
    expect(
      await grid(page)
        .getByRole('columnheader', { name: 'metrics.loss', exact: true })
        .getAttribute('aria-sort'),
    ).toBe('descending')
    await page.getByRole('button', { name: 'Sort by metrics.loss', exact: true }).click()
    await expect
      .poll(async () => (await runNames(page)).slice(0, 2))
      .toEqual(['sweep-parent', 'run-11'])
    // min(loss): run-11's curve bottoms out at 0.35, run-00's at 0.9.
    await page.getByRole('button', { name: 'Sort by min(metrics.loss)' }).click()
    await page.waitForURL(/dir=desc/)
    await expect.poll(async () => (await runNames(page))[0]).toBe('run-00')

    const filter = page.getByRole('combobox', { name: 'Filter runs' })
    await filter.fill("params.optimizer = 'sgd' OR metrics.loss < 0.4")
    await filter.press('Enter')
    await page.waitForURL(/filter=/)
    // sgd: run-01/04/07/10; loss < 0.4: run-11, sweep-parent and sweep-child-0 (a filter lists runs flat)
    await expect.poll(() => total(page)).toMatch(/^7 runs/)
    expect((await runNames(page)).sort()).toEqual([
      'run-01',
      'run-04',
      'run-07',
      'run-10',
      'run-11',
      'sweep-child-0',
      'sweep-parent',
    ])
    await screenshot(page, 'runs-table-filtered')

    await filter.fill('metrics.loss <<< 1')
    await filter.press('Enter')
    const alert = page.locator('.filter-box').getByRole('alert')
    await alert.waitFor()
    expect((await alert.textContent())!.length).toBeGreaterThan(10)
    expect(await filter.getAttribute('aria-invalid')).toBe('true')
    await screenshot(page, 'runs-table-bad-filter')
    await filter.fill("params.optimizer = 'none-such'")
    await filter.press('Enter')
    await grid(page).getByText('No runs match the filter.').waitFor()
    await expect.poll(() => total(page)).toMatch(/^0 runs/)

    // Completion: prefixes, then the keys of the experiment.
    await filter.fill('')
    await filter.pressSequentially('par')
    const completions = page.getByRole('listbox', { name: 'Filter completions' })
    await completions.getByRole('option', { name: /^params\. prefix/ }).waitFor()
    await filter.press('Enter')
    expect(await filter.inputValue()).toBe('params.')
    await completions.getByRole('option', { name: /^params\.optimizer/ }).waitFor()
    await filter.press('ArrowDown')
    const options = await completions.getByRole('option').allTextContents()
    expect(options.some((o) => o.startsWith('params.lr'))).toBe(true)
    expect(unexpected(errors)).toEqual([])
  })

  it('starts a new view with the metrics and params as columns, as MLflow does, and keeps an emptied list empty', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await open(page)
    await page.waitForURL(/cols=/)
    const ids = ['metrics.acc', 'metrics.loss', 'params.epochs', 'params.lr', 'params.optimizer']
    const shown = async () => {
      const out: string[] = []
      for (const id of ids) if ((await grid(page).getByRole('columnheader', { name: id, exact: true }).count()) > 0) out.push(id)
      return out
    }
    await expect.poll(shown).toEqual(ids)
    // The link of the view names its columns, so it reopens the same.
    expect(new URL(page.url()).searchParams.get('cols')).toBe(ids.join(','))
    await page.getByRole('button', { name: 'Columns' }).click()
    for (const label of ['metric acc last', 'metric loss last', 'param epochs', 'param lr', 'param optimizer']) await page.getByLabel(label).uncheck()
    await page.keyboard.press('Escape')
    await page.waitForURL(/cols=-/)
    await expect.poll(shown).toEqual([])
    await page.reload()
    await runRows(page).first().waitFor()
    expect(new URL(page.url()).searchParams.get('cols')).toBe('-')
    expect(await shown()).toEqual([])
    expect(unexpected(errors)).toEqual([])
  })

  it('groups by a param with aggregates, expands a group and a parent run', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(
      `${ui.server.url}/experiments/${ui.seed.experimentId}?cols=metrics.loss&group=params.optimizer`,
    )
    const groups = grid(page).locator('.grid-body [role=row].group')
    await groups.first().waitFor()
    const counts: Record<string, string> = {}
    for (const g of await groups.all())
      counts[(await g.locator('.group-value strong').textContent())!] = (await g
        .locator('.badge')
        .textContent())!
    // adam: 4 runs + the parent; children carry no optimizer param (null group).
    expect(counts).toEqual({ adam: '5', sgd: '4', rmsprop: '4', '(none)': '3' })
    // loss of the sgd runs (last values 0.85, 0.7, 0.55, 0.4): mean [min–max]
    expect(await groups.filter({ hasText: 'sgd' }).locator('.aggregate').textContent()).toBe(
      '0.625 [0.4–0.85]',
    )
    await page.getByRole('button', { name: 'Expand group params.optimizer = sgd' }).click()
    await expect
      .poll(async () => (await runNames(page)).sort())
      .toEqual(['run-01', 'run-04', 'run-07', 'run-10'])
    await screenshot(page, 'runs-table-grouped')

    await open(page)
    await page.getByRole('button', { name: 'Expand child runs of sweep-parent' }).click()
    await expect
      .poll(async () => (await runNames(page)).slice(0, 4))
      .toEqual(['sweep-parent', 'sweep-child-2', 'sweep-child-1', 'sweep-child-0'])
    expect(await grid(page).locator('[role=row][aria-expanded=true]').count()).toBe(1)
    await screenshot(page, 'runs-table-nested')
    expect(unexpected(errors)).toEqual([])
  })

  it('selects a range, exports CSV, deletes and restores the selection', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await open(page, '?cols=metrics.loss,params.lr')
    await page.getByLabel('Select run run-11').click()
    await page.getByLabel('Select run run-08').click({ modifiers: ['Shift'] })
    await page.getByText('4 selected').waitFor()
    expect(await grid(page).locator('[role=row][aria-selected=true]').count()).toBe(4)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Export CSV \(4\)/ }).click(),
    ])
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\n')
    expect(csv[0]).toBe(
      'run_id,run_name,experiment_id,status,start_time,duration,user_id,metrics.loss,params.lr',
    )
    expect(csv.slice(1).map((l) => l.split(',')[1])).toEqual([
      'run-11',
      'run-10',
      'run-09',
      'run-08',
    ])
    const run11 = ui.seed.runs[11]!
    expect(csv[1]).toBe(
      `${run11.id},run-11,${ui.seed.experimentId},FINISHED,2026-01-01T00:11:00.000Z,41000,alice,${run11.loss},${run11.lr}`,
    )

    await page
      .getByRole('toolbar', { name: 'Selected runs' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => total(page)).toMatch(/^9 runs/)
    expect(await runNames(page)).not.toContain('run-11')

    await page.getByLabel('Show deleted').check()
    await expect.poll(() => total(page)).toMatch(/^13 runs/)
    for (const name of ['run-11', 'run-10', 'run-09', 'run-08'])
      await page.getByLabel(`Select run ${name}`).click()
    await screenshot(page, 'runs-table-deleted')
    await page
      .getByRole('toolbar', { name: 'Selected runs' })
      .getByRole('button', { name: 'Restore' })
      .click()
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click()
    await page.getByLabel('Show deleted').uncheck()
    await expect.poll(() => total(page)).toMatch(/^13 runs/)

    await page.getByLabel('Select run run-01').click()
    await page.getByLabel('Select run run-02').click()
    await page.getByRole('button', { name: 'Compare' }).click()
    await page.waitForURL(/\/compare\?runs=/)
    expect(new URL(page.url()).searchParams.get('runs')!.split(',').sort()).toEqual(
      [ui.seed.runs[1]!.id, ui.seed.runs[2]!.id].sort(),
    )
    expect(unexpected(errors)).toEqual([])
  })

  it('moves the active row with the keyboard, selects with Space, opens with Enter, focuses the filter with /', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await open(page)
    await grid(page).focus()
    const activeName = async (): Promise<string> => {
      const id = await grid(page).getAttribute('aria-activedescendant')
      return (await page.locator(`[id="${id}"] .cell.name a`).textContent()) ?? ''
    }
    expect(await activeName()).toBe('sweep-parent')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await activeName()).toBe('run-10')
    await page.keyboard.press('Space')
    expect(await page.getByLabel('Select run run-10').isChecked()).toBe(true)
    await page.keyboard.press('End')
    expect(await activeName()).toBe('run-00')
    await page.keyboard.press('PageUp')
    await page.keyboard.press('Home')
    expect(await activeName()).toBe('sweep-parent')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => runNames(page)).toContain('sweep-child-0')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await activeName()).toBe('sweep-child-1')

    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Filter runs',
    )
    await grid(page).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/runs\/[0-9a-f]{32}$/)
    expect(page.url()).toContain(`/runs/${ui.seed.childIds[1]}`)
    expect(errors).toEqual([])
  })

  it('reproduces a view from its link after a reload, and renders in the dark theme', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    const filter = "params.optimizer = 'adam' OR params.optimizer = 'rmsprop'"
    const query = `?filter=${encodeURIComponent(filter)}&sort=${encodeURIComponent('max(metrics.acc)')}&dir=asc&cols=${encodeURIComponent('metrics.loss,max(metrics.acc),params.optimizer,tags.team')}`
    await open(page, query)
    const before = await runNames(page)
    expect(before[0]).toBe('run-00')
    await page.reload()
    await runRows(page).first().waitFor()
    expect(await runNames(page)).toEqual(before)
    expect(await page.getByRole('combobox', { name: 'Filter runs' }).inputValue()).toBe(filter)
    expect(
      await grid(page)
        .getByRole('columnheader', { name: 'max(metrics.acc)' })
        .getAttribute('aria-sort'),
    ).toBe('ascending')
    expect(await grid(page).getByRole('columnheader', { name: 'tags.team' }).count()).toBe(1)
    await screenshot(page, 'runs-table')

    await page.getByRole('button', { name: /Switch to dark/ }).click()
    await page.getByLabel(`Select run ${before[1]}`).click()
    await grid(page).focus()
    await page.keyboard.press('ArrowDown')
    await screenshot(page, 'runs-table-dark')
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.getByRole('button', { name: /Switch to light/ }).click()
    expect(errors).toEqual([])
  })
})

/** Runs for the paging test; LOGBOOK_UI_SCALE_RUNS raises it (seeding goes through the API, ~30 runs/s here). */
const SCALE_RUNS = Number(process.env.LOGBOOK_UI_SCALE_RUNS ?? 1000)

describe.skipIf(!chromiumAvailable())(`runs table with ${SCALE_RUNS} runs`, () => {
  let server: TestServer
  let browser: Browser
  let experimentId: string
  beforeAll(
    async () => {
      server = await startTestServer()
      experimentId = (await seedScale(server.url, SCALE_RUNS)).experimentId
      browser = await launchBrowser()
    },
    30_000 + SCALE_RUNS * 100,
  )
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('renders a bounded number of rows, pages in 200s as the active row goes to the end, and sorts on the server', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    const grid = page.getByRole('grid', { name: 'Runs' })
    const domRows = () => grid.locator('.grid-body [role=row]').count()
    const started = performance.now()
    await page.goto(`${server.url}/experiments/${experimentId}?cols=metrics.loss`)
    await grid
      .locator('.grid-body [role=row].run')
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        await screenshot(page, 'runs-table-scale-failed')
        throw new Error(
          `${String(err)}\npage text: ${await page.locator('main').innerText()}\nerrors: ${errors.join('\n')}`,
        )
      })
    const firstPaint = performance.now() - started
    const totalText = page.locator('.runs-total')
    await expect
      .poll(() => totalText.textContent())
      .toBe(`${SCALE_RUNS.toLocaleString()} runs (200 loaded)`)
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(SCALE_RUNS + 1))
    expect(await domRows()).toBeLessThan(80)

    await grid.focus()
    const toEnd = performance.now()
    await page.keyboard.press('End')
    const active = async (): Promise<string> =>
      (await page
        .locator(`[id="${await grid.getAttribute('aria-activedescendant')}"] .cell.name a`)
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? ''
    await expect.poll(active, { timeout: 60_000 }).toBe('run-000000')
    const endMs = performance.now() - toEnd
    expect(await totalText.textContent()).toBe(`${SCALE_RUNS.toLocaleString()} runs`)
    expect(await domRows()).toBeLessThan(80)

    const sortStart = performance.now()
    await page.getByRole('button', { name: 'Sort by metrics.loss', exact: true }).click()
    await page.keyboard.press('Home')
    await expect
      .poll(async () =>
        Number(
          await grid
            .locator('.grid-body [role=row].run')
            .first()
            .locator('.cell.num')
            .textContent(),
        ),
      )
      .toBeGreaterThan(0.99)
    const sortMs = performance.now() - sortStart
    await screenshot(page, 'runs-table-scale')
    console.log(
      `runs table, ${SCALE_RUNS} runs: first rows ${Math.round(firstPaint)} ms, End (all pages) ${Math.round(endMs)} ms, sort by metric ${Math.round(sortMs)} ms`,
    )
    expect(errors).toEqual([])
  }, 120_000)
})
