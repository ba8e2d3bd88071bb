import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { chromiumAvailable, openPage, screenshot } from './browser.ts'
import { seedSmallDemo, useUiServer } from './ui-server.ts'
import { seedUiRuns } from './ui-seed.ts'

/** Chromium reports a sandboxed frame's blocked script as a console error: that is the expected outcome. */
const SANDBOX_BLOCKED = /Blocked script execution in 'about:srcdoc'/

describe.skipIf(!chromiumAvailable())('run page', () => {
  const ui = useUiServer(async (url) => ({ seed: await seedUiRuns(url) }), 120_000)

  async function open(path: string, errors: string[]): Promise<Page> {
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}${path}`)
    return page
  }

  it('shows details, params, metrics with min/max, datasets, logged models, parent and children', async () => {
    const errors: string[] = []
    const page = await open(`/runs/${ui.seed.parent}`, errors)
    await page.getByRole('heading', { name: 'baseline', exact: true }).waitFor()
    for (const name of [
      'Details',
      'Note',
      'Parameters (4)',
      'Metrics (2)',
      'Tags',
      'Datasets (1)',
      'Logged models',
    ]) {
      await page.getByRole('heading', { name, exact: true }).waitFor()
    }
    const details = page.locator('dl.details')
    await expect(details.textContent()).resolves.toContain('train.py')
    await expect(details.textContent()).resolves.toContain('0123456789ab')
    await expect(details.textContent()).resolves.toContain('ada')
    await page.getByRole('link', { name: 'fold-1' }).waitFor()
    await page.locator('table.logged-models').getByText('iris-model').waitFor()
    await page.getByRole('cell', { name: 'iris', exact: true }).waitFor()
    await page.getByRole('cell', { name: 'optimizer' }).waitFor()
    // loss is logged for steps 0..99: last at step 99, min/max over the whole history.
    const lossRow = page.locator('table.metrics-table tr', {
      has: page.getByRole('link', { name: 'loss' }),
    })
    await lossRow.locator('td').nth(2).filter({ hasText: /\d/ }).waitFor()
    const cells = await lossRow.locator('td').allTextContents()
    expect(Number(cells[3])).toBeCloseTo(2, 1)
    expect(Number(cells[2])).toBeLessThan(Number(cells[1]) + 1e-9)
    expect(cells[4]).toBe('99')
    await page.locator('[data-testid=note-rendered] h1', { hasText: 'Baseline' }).waitFor()
    await screenshot(page, 'run-overview')

    await page.getByRole('tab', { name: 'Metrics' }).click()
    expect(new URL(page.url()).searchParams.get('tab')).toBe('metrics')
    for (const key of ['accuracy', 'loss'])
      await page.locator(`figure[data-metric=${key}] canvas`).first().waitFor()
    expect(await page.locator('figure[data-metric=loss]').getAttribute('data-points')).toBe('100')
    await screenshot(page, 'run-metrics')
    // Dark theme: charts redraw with the theme's colours.
    await page.getByRole('button', { name: /Switch to dark/ }).click()
    await page.locator('figure[data-metric=loss] canvas').first().waitFor()
    await screenshot(page, 'run-metrics-dark')
    await page.getByRole('button', { name: /Switch to light/ }).click()
    await page.getByRole('tab', { name: 'Overview' }).click()
    await page.getByRole('link', { name: 'fold-1' }).click()
    await page.getByRole('heading', { name: 'fold-1', exact: true }).waitFor()
    await page.locator('a.parent-link', { hasText: 'baseline' }).waitFor()
    expect(errors).toEqual([])
  })

  it('adds, edits and deletes a tag, and edits the markdown note without running its scripts', async () => {
    const errors: string[] = []
    const page = await open(`/runs/${ui.seed.parent}`, errors)
    await page.getByLabel('New tag key').waitFor()
    const title = await page.title() // after the run loaded: the title names the run from then on
    await page.getByLabel('New tag key').fill('stage')
    await page.getByLabel('New tag value').fill('dev')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.locator('tr[data-tag=stage]', { hasText: 'dev' }).waitFor()
    await page.getByRole('button', { name: 'Edit tag stage' }).click()
    await page.getByRole('dialog').getByLabel('Value').fill('prod')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await page.locator('tr[data-tag=stage]', { hasText: 'prod' }).waitFor()
    await page.getByRole('button', { name: 'Delete tag team' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page.locator('tr[data-tag=team]').waitFor({ state: 'detached' })
    const run = await ui.seed.client.getRun(ui.seed.parent)
    expect(run.data.tags.find((t) => t.key === 'stage')?.value).toBe('prod')
    expect(run.data.tags.some((t) => t.key === 'team')).toBe(false)

    await page.getByRole('button', { name: 'Edit note' }).click()
    const note = [
      '## Results',
      '',
      '| metric | value |',
      '|---|---|',
      '| acc | 0.93 |',
      '',
      "<script>document.title = 'note-pwned'</script>",
      '[bad link](javascript:document.title=1)',
      '',
      '<b onmouseover="document.title=2">hover</b>',
    ].join('\n')
    await page.getByLabel('Note (markdown)').fill(note)
    await page.getByRole('button', { name: 'Save note' }).click()
    const rendered = page.getByTestId('note-rendered')
    await rendered.locator('h2', { hasText: 'Results' }).waitFor()
    await rendered.locator('td', { hasText: '0.93' }).waitFor()
    expect(await rendered.locator('script').count()).toBe(0)
    expect(await rendered.locator('[onmouseover]').count()).toBe(0)
    expect(await rendered.getByText('bad link').getAttribute('href')).toBeNull()
    // Raw HTML is shown as text, never parsed into elements.
    await rendered.getByText("<script>document.title = 'note-pwned'</script>").waitFor()
    expect(await rendered.locator('b').count()).toBe(0)
    await rendered.getByText('hover').hover()
    await rendered.getByText('bad link').click()
    expect(await page.title()).toBe(title)
    expect(
      (await ui.seed.client.getRun(ui.seed.parent)).data.tags.find(
        (t) => t.key === 'mlflow.note.content',
      )?.value,
    ).toBe(note)
    expect(errors).toEqual([])
  })

  it('renames, deletes and restores the run', async () => {
    const errors: string[] = []
    const page = await open(`/runs/${ui.seed.sibling}`, errors)
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByRole('dialog').getByLabel('Name').fill('high-lr-renamed')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { name: 'high-lr-renamed' }).waitFor()
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page.locator('.badge.deleted').waitFor()
    expect((await ui.seed.client.getRun(ui.seed.sibling)).info.lifecycle_stage).toBe('deleted')
    await page.getByRole('button', { name: 'Restore' }).click()
    await page.locator('.badge.deleted').waitFor({ state: 'detached' })
    const info = (await ui.seed.client.getRun(ui.seed.sibling)).info
    expect(info.lifecycle_stage).toBe('active')
    expect(info.run_name).toBe('high-lr-renamed')
    await ui.seed.client.updateRun(ui.seed.sibling, { runName: 'high-lr' })
    expect(errors).toEqual([])
  })

  it('previews images, text, JSON, YAML, CSV, sandboxed HTML and MLmodel, and offers downloads', async () => {
    const errors: string[] = []
    const page = await open(`/runs/${ui.seed.parent}?tab=artifacts&path=plots/loss.png`, errors)
    const image = page.locator('img.preview-image')
    await image.waitFor()
    // Read once the run has loaded: the page title names the run from then on (useTitle).
    const title = await page.title()
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160)
    // The deep link opened the folder of the selected file.
    await page.getByRole('treeitem', { name: /diagram\.svg/ }).waitFor()
    await screenshot(page, 'run-artifacts-image')

    const tree = page.getByRole('navigation', { name: 'Artifacts' })
    await tree.getByRole('button', { name: /diagram\.svg/ }).click()
    await expect
      .poll(() => page.locator('img.preview-image').getAttribute('src'))
      .toContain('diagram.svg')
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120)
    expect(await page.locator('.artifact-preview svg').count()).toBe(0)
    expect(new URL(page.url()).searchParams.get('path')).toBe('plots/diagram.svg')

    await tree.getByRole('button', { name: 'logs', exact: true }).click()
    await tree.getByRole('button', { name: /train\.log/ }).click()
    await page.locator('pre.preview-text', { hasText: 'epoch 49 loss=0.0200' }).waitFor()
    await tree.getByRole('button', { name: /big\.log/ }).click()
    await page.getByText('Showing the first 1.0 MB of the file.').waitFor()
    const big = await page.locator('pre.preview-text').textContent()
    expect(big!.startsWith('BEGIN')).toBe(true)
    expect(big).not.toContain('END')
    expect(big!.length).toBe(1024 * 1024)

    await tree.getByRole('button', { name: /config\.json/ }).click()
    await expect
      .poll(() => page.locator('pre.preview-text.json').textContent())
      .toContain('"layers": [\n    64,')

    await tree.getByRole('button', { name: /params\.yaml/ }).click()
    await page
      .locator('pre.preview-text[data-kind=yaml]', { hasText: 'activation: relu' })
      .waitFor()

    await tree.getByRole('button', { name: 'data', exact: true }).click()
    await tree.getByRole('button', { name: /sample\.csv/ }).click()
    const csv = page.locator('table.csv-table')
    await csv.waitFor()
    expect(await csv.locator('thead th').allTextContents()).toEqual([
      '#',
      'epoch',
      'loss',
      'accuracy',
      'split',
    ])
    expect(await csv.locator('tbody tr').count()).toBe(1000)
    expect(await csv.locator('tbody tr').first().locator('td').last().textContent()).toBe(
      'train, main',
    )
    await page.getByText('First 1000 rows × 4 columns').waitFor()
    await screenshot(page, 'run-artifacts-csv')

    await tree.getByRole('button', { name: /report\.html/ }).click()
    const frame = page.locator('iframe.preview-html')
    await frame.waitFor()
    expect(await frame.getAttribute('sandbox')).toBe('')
    const inner = page.frameLocator('iframe.preview-html')
    await inner.locator('#report').waitFor()
    // The script would have replaced this text and the titles; none of it may happen.
    expect(await inner.locator('#report').textContent()).toBe('Evaluation report')
    expect(await page.title()).toBe(title)
    await screenshot(page, 'run-artifacts-html')

    await tree.getByRole('button', { name: 'model', exact: true }).click()
    await tree.getByRole('button', { name: /MLmodel/ }).click()
    const summary = page.getByTestId('mlmodel-summary')
    await summary.waitFor()
    const text = await summary.textContent()
    for (const expected of [
      '2.19.0',
      '3.11.7',
      'python_function',
      'sklearn',
      'sklearn_version: 1.4.2',
      'sepal_length',
      'sepal_width',
      'tensor int64 [-1]',
    ]) {
      expect(text).toContain(expected)
    }
    await screenshot(page, 'run-artifacts-mlmodel')

    // Close the data folder, then go back twice (MLmodel -> report.html -> data/sample.csv):
    // the tree opens the folder of the file the history selects.
    await tree.getByRole('button', { name: 'data', exact: true }).click()
    await tree.getByRole('treeitem', { name: /sample\.csv/ }).waitFor({ state: 'detached' })
    await page.goBack()
    await expect.poll(() => new URL(page.url()).searchParams.get('path')).toBe('report.html')
    await page.goBack()
    await expect.poll(() => new URL(page.url()).searchParams.get('path')).toBe('data/sample.csv')
    await tree.getByRole('treeitem', { name: /sample\.csv/ }).waitFor()
    await page.locator('table.csv-table').waitFor()
    await tree.getByRole('button', { name: /model\.pkl/ }).click()
    const download = page.getByRole('link', { name: /Download model\.pkl/ })
    await download.waitFor()
    expect(await download.getAttribute('href')).toBe(
      `/get-artifact?run_id=${ui.seed.parent}&path=model%2Fmodel.pkl`,
    )
    await page.getByText('No preview for this file type').waitFor()
    expect(await page.title()).toBe(title)
    expect(errors.filter((e) => !SANDBOX_BLOCKED.test(e))).toEqual([])
  })
})

describe.skipIf(!chromiumAvailable())('run page on the demo data', () => {
  const ui = useUiServer(seedSmallDemo, 180_000)

  it('previews every artifact of the showcase run without errors', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    const run = ui.demo.runs.showcase
    await page.goto(`${ui.server.url}/runs/${run}`)
    await page.getByRole('heading', { name: 'Details', exact: true }).waitFor()
    await screenshot(page, 'demo-run-overview')
    expect(ui.demo.showcaseArtifacts.length).toBeGreaterThan(3)
    for (const path of ui.demo.showcaseArtifacts) {
      await page.goto(`${ui.server.url}/runs/${run}?tab=artifacts&path=${encodeURIComponent(path)}`)
      const preview = page.getByRole('region', { name: 'Preview' })
      await preview.locator('.preview-body').waitFor()
      expect(await preview.getByRole('alert').count(), path).toBe(0)
      const image = preview.locator('img.preview-image')
      if (await image.count()) {
        await expect
          .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
            message: path,
          })
          .toBeGreaterThan(0)
        await screenshot(page, 'demo-artifacts-image')
      }
    }
    expect(errors.filter((e) => !SANDBOX_BLOCKED.test(e))).toEqual([])
  })

  it('summarises the regression model and links the sweep parent to its children', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(
      `${ui.server.url}/runs/${ui.demo.runs.regression}?tab=artifacts&path=model/MLmodel`,
    )
    const summary = page.getByTestId('mlmodel-summary')
    await summary.waitFor()
    expect(await summary.locator('.flavors li').count()).toBeGreaterThan(0)
    await screenshot(page, 'demo-mlmodel')
    await page.goto(`${ui.server.url}/runs/${ui.demo.sweep.parentRunId}`)
    await expect
      .poll(() => page.locator('ul.child-runs li').count())
      .toBe(ui.demo.sweep.childRunIds.length)
    // A FAILED run whose loss went NaN: the table says NaN, the charts leave gaps and still draw.
    await page.goto(`${ui.server.url}/runs/${ui.demo.runs.failed}`)
    await page.locator('.run-title .badge.FAILED').waitFor()
    await page.locator('table.metrics-table td', { hasText: /^NaN$/ }).first().waitFor()
    await page.getByRole('tab', { name: 'Metrics' }).click()
    await page.locator('figure.metric-chart canvas').first().waitFor()
    await screenshot(page, 'demo-failed-run-metrics')
    expect(errors).toEqual([])
  })
})
