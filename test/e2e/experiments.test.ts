import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { chromiumAvailable, openPage, screenshot } from './browser.ts'
import { seedSmallDemo, useUiServer } from './ui-server.ts'
import { seedTable } from './table-seed.ts'

describe.skipIf(!chromiumAvailable())('experiments page', () => {
  const ui = useUiServer(async (url) => ({ seed: await seedTable(url) }), 60_000)

  const rows = (page: Page) => page.getByRole('table', { name: 'Experiments' }).locator('tbody tr')
  const row = (page: Page, name: string) =>
    rows(page).filter({ has: page.getByRole('link', { name, exact: true }) })
  const confirm = async (page: Page, button: string): Promise<void> => {
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: button, exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
  }

  it('creates, searches, renames, deletes, restores and permanently deletes an experiment', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/experiments`)
    await row(page, 'table-demo').waitFor()
    expect(await rows(page).count()).toBe(3) // table-demo, table-other, Default
    await screenshot(page, 'experiments')

    await page.getByRole('button', { name: 'Create experiment' }).click()
    await page.getByRole('dialog').getByLabel('Name').fill('e2e-created')
    await screenshot(page, 'experiments-create-dialog')
    await confirm(page, 'Create')
    await row(page, 'e2e-created').waitFor()

    await page.getByLabel('Search experiments by name').fill('CREATED')
    await page.waitForURL(/q=CREATED/)
    await expect.poll(() => rows(page).count()).toBe(1)

    await page.getByRole('button', { name: 'Rename e2e-created' }).click()
    await page.getByRole('dialog').getByLabel('New name').fill('e2e-renamed')
    await confirm(page, 'Rename')
    await page.getByLabel('Search experiments by name').fill('')
    await row(page, 'e2e-renamed').waitFor()
    expect(await row(page, 'e2e-created').count()).toBe(0)

    await page.getByRole('button', { name: 'Delete e2e-renamed', exact: true }).click()
    await confirm(page, 'Delete')
    await row(page, 'e2e-renamed').waitFor({ state: 'detached' })

    await page.getByLabel('Show deleted').check()
    await page.waitForURL(/deleted=1/)
    await row(page, 'e2e-renamed').getByText('deleted').waitFor()
    await screenshot(page, 'experiments-deleted')
    await page.getByRole('button', { name: 'Restore e2e-renamed' }).click()
    await confirm(page, 'Restore')
    await row(page, 'e2e-renamed').getByRole('button', { name: 'Rename e2e-renamed' }).waitFor()

    await page.getByRole('button', { name: 'Delete e2e-renamed', exact: true }).click()
    await confirm(page, 'Delete')
    await page.getByRole('button', { name: 'Delete e2e-renamed permanently' }).click()
    await confirm(page, 'Delete permanently')
    await row(page, 'e2e-renamed').waitFor({ state: 'detached' })
    // Purged for real: the name is free again.
    const byName = await fetch(
      `${ui.server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=e2e-renamed`,
    )
    expect(byName.status).toBe(404)
    expect(errors).toEqual([])
  })

  it('shows a server error inside the dialog and opens several experiments together', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/experiments`)
    await page.getByRole('button', { name: 'Create experiment' }).click()
    await page.getByRole('dialog').getByLabel('Name').fill('table-demo')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await expect
      .poll(() => page.getByRole('dialog').getByRole('alert').textContent())
      .toMatch(/already exists/i)
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()

    await page.getByLabel('Select table-demo').check()
    await page.getByLabel('Select table-other').check()
    await page.getByRole('button', { name: /Open runs of 2 selected/ }).click()
    await page.waitForURL(/\/experiments\/\d+,\d+(\?|$)/)
    const ids = new URL(page.url()).pathname.split('/').pop()!.split(',').sort()
    expect(ids).toEqual([ui.seed.experimentId, ui.seed.otherExperimentId].sort())
    // The browser's 400 for the duplicate name is logged by Chromium as a failed resource load.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([])
  })
})

describe.skipIf(!chromiumAvailable())('pages on the demo data', () => {
  const ui = useUiServer(seedSmallDemo, 180_000)

  it('lists the demo experiments, opens a sweep in the runs table and the demo models', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/experiments`)
    for (const e of ui.demo.experiments)
      await page.getByRole('link', { name: e.name, exact: true }).waitFor()
    await screenshot(page, 'demo-experiments')

    const sweep = ui.demo.experiments.find((e) => e.id === ui.demo.sweep.experimentId)!
    const keys = (await (
      await fetch(
        `${ui.server.url}/ajax-api/2.0/logbook/experiments/keys?experiment_ids=${sweep.id}`,
      )
    ).json()) as {
      params?: string[]
      metrics?: string[]
    }
    const cols = [
      ...(keys.metrics ?? []).slice(0, 3).map((k) => `metrics.${k}`),
      ...(keys.params ?? []).slice(0, 3).map((k) => `params.${k}`),
    ]
    await page.goto(
      `${ui.server.url}/experiments/${sweep.id}?cols=${encodeURIComponent(cols.map(encodeURIComponent).join(','))}`,
    )
    const grid = page.getByRole('grid', { name: 'Runs' })
    await grid.locator('.grid-body [role=row].run').first().waitFor()
    expect(await grid.getByRole('columnheader').count()).toBe(1 + 5 + cols.length)
    const parentName = Object.entries(sweep.runsByName).find(
      ([, id]) => id === ui.demo.sweep.parentRunId,
    )![0]
    await page.getByRole('button', { name: `Expand child runs of ${parentName}` }).click()
    await expect
      .poll(() => grid.locator('.grid-body [role=row].run').count())
      .toBeGreaterThanOrEqual(ui.demo.sweep.childRunIds.length + 1)
    await screenshot(page, 'demo-runs-table')
    await page.getByRole('button', { name: /Switch to dark/ }).click()
    await screenshot(page, 'demo-runs-table-dark')
    await page.getByRole('button', { name: /Switch to light/ }).click()

    await page.goto(`${ui.server.url}/models`)
    await page.getByRole('link', { name: 'demo-classifier', exact: true }).click()
    const versions = page.getByRole('table', { name: 'Model versions' })
    await versions.locator('tbody tr').first().waitFor()
    expect(await versions.locator('tbody tr').count()).toBeGreaterThanOrEqual(3)
    await screenshot(page, 'demo-model')
    expect(errors).toEqual([])
  }, 90_000)
})
