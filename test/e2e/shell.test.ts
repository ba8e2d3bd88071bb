import { describe, expect, it } from 'vitest'
import { chromiumAvailable, openPage, screenshot } from './browser.ts'
import { useUiServer } from './ui-server.ts'

describe.skipIf(!chromiumAvailable())('UI shell', () => {
  const ui = useUiServer()

  it('serves the app, deep-links, toggles the theme and shows a not-found page', async () => {
    const errors: string[] = []
    const page = await openPage(ui.browser, errors)
    await page.goto(`${ui.server.url}/`)
    await page.waitForURL(/\/experiments$/)
    await expect(
      page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Models' })
        .isVisible(),
    ).resolves.toBe(true)
    const before = await page.evaluate(() => document.documentElement.dataset.theme)
    await page.getByRole('button', { name: /Switch to/ }).click()
    const after = await page.evaluate(() => document.documentElement.dataset.theme)
    expect(after).not.toBe(before)
    await page.reload()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(after)
    // The links MLflow's client prints ("View run at .../#/experiments/0/runs/<id>") open the same view.
    await page.goto(`${ui.server.url}/#/experiments/0`)
    await page.waitForURL(/\/experiments\/0$/)
    await page.goto(`${ui.server.url}/#/experiments/0/runs/${'a'.repeat(32)}`)
    await page.waitForURL(new RegExp(`/runs/${'a'.repeat(32)}$`))
    await page.goto(`${ui.server.url}/no/such/view`)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    await screenshot(page, 'not-found')
    expect(errors).toEqual([])
  })
})
