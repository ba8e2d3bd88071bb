import { describe, expect, it } from 'vitest'
import { chromiumAvailable, openPage, screenshot } from './browser.ts'
import { useUiServer } from './ui-server.ts'
import { seedTable } from './table-seed.ts'

describe.skipIf(!chromiumAvailable())('model registry pages', () => {
  const ui = useUiServer(async (url) => ({ seed: await seedTable(url) }), 60_000)
  const api = async (path: string): Promise<Record<string, unknown>> =>
    (await (await fetch(`${ui.server.url}/api/2.0/mlflow/${path}`)).json()) as Record<
      string,
      unknown
    >

  it('goes from the model list to a model and a version; sets an alias, tags, description and stage', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/models`)
    const models = page.getByRole('table', { name: 'Registered models' })
    await models.getByRole('link', { name: ui.seed.model }).waitFor()
    await page.getByLabel('Search models by name').fill('nothing-like-this')
    await page.getByText('No model matches').waitFor()
    await page.getByLabel('Search models by name').fill('MNIST')
    await models.getByRole('link', { name: ui.seed.model }).waitFor()
    await screenshot(page, 'models')
    await models.getByRole('link', { name: ui.seed.model }).click()
    await page.waitForURL(`**/models/${ui.seed.model}`)

    const versions = page.getByRole('table', { name: 'Model versions' })
    await versions.getByRole('link', { name: 'Version 2' }).waitFor()
    expect(await versions.locator('tbody tr').count()).toBe(2)
    // Version 1 came from run-11: its source link goes to that run.
    const v1 = versions.locator('tbody tr').filter({ hasText: 'Version 1' })
    expect(
      await v1.getByRole('link', { name: ui.seed.runs[11]!.id.slice(0, 12) }).getAttribute('href'),
    ).toBe(`/runs/${ui.seed.runs[11]!.id}`)

    await page.getByLabel('Alias', { exact: true }).fill('champion')
    await page.getByLabel('Alias version').selectOption('1')
    await page.getByRole('button', { name: 'Set alias' }).click()
    await page.getByRole('region', { name: 'Aliases' }).getByText('@champion → v1').waitFor()
    const byAlias = await api(`registered-models/alias?name=${ui.seed.model}&alias=champion`)
    expect((byAlias.model_version as { version: string }).version).toBe('1')

    await page.getByLabel('Tag key').fill('owner')
    await page.getByLabel('Tag value').fill('vision-team')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.getByRole('table', { name: 'Model tags' }).getByText('vision-team').waitFor()

    await page.getByRole('button', { name: `Edit description of ${ui.seed.model}` }).click()
    await page
      .getByRole('dialog')
      .getByLabel('Description')
      .fill('Digits classifier, v1 is the champion')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await page.getByText('Digits classifier, v1 is the champion').waitFor()
    await screenshot(page, 'model')

    await versions.getByRole('link', { name: 'Version 1' }).click()
    await page.waitForURL(`**/models/${ui.seed.model}/versions/1`)
    await page.getByText('@champion').waitFor()
    expect(await page.getByRole('link', { name: ui.seed.runs[11]!.id }).getAttribute('href')).toBe(
      `/runs/${ui.seed.runs[11]!.id}`,
    )
    await page.getByLabel('New stage').selectOption('Staging')
    await page.getByRole('button', { name: 'Transition' }).click()
    await expect
      .poll(
        async () =>
          (
            (await api(`model-versions/get?name=${ui.seed.model}&version=1`)).model_version as {
              current_stage: string
            }
          ).current_stage,
      )
      .toBe('Staging')
    await page.getByLabel('Tag key').fill('validated')
    await page.getByLabel('Tag value').fill('yes')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.getByRole('table', { name: 'Version tags' }).getByText('validated').waitFor()
    await page.getByRole('button', { name: 'Delete tag validated' }).click()
    await page.getByRole('table', { name: 'Version tags' }).waitFor({ state: 'detached' })
    await screenshot(page, 'model-version')

    await page.goto(`${ui.server.url}/models/${ui.seed.model}`)
    await page.getByRole('button', { name: 'Delete alias champion' }).click()
    await page.getByRole('region', { name: 'Aliases' }).getByText('No aliases.').waitFor()
    expect(errors).toEqual([])
  })
})
