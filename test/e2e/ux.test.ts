import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { seedDemo, type DemoSummary } from '../../packages/cli/src/demo/seed.ts'
import { startTestServer, type TestServer } from '../../packages/sdk/src/testing/server.ts'
import { chromiumAvailable, launchBrowser, openPage, screenshot } from './browser.ts'

/** Controls (inputs, buttons, selects) with no accessible name: no aria-label(ledby), <label>, title or text. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of Array.from(document.querySelectorAll('input, button, select, textarea, [role=button]'))) {
      const input = el as HTMLInputElement
      if (input.type === 'hidden') continue
      const named =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (input.labels && input.labels.length > 0) ||
        (el as HTMLElement).title ||
        (el.tagName === 'BUTTON' && el.textContent?.trim())
      if (!named) out.push(el.outerHTML.slice(0, 160))
    }
    return out
  })
}

/** Chromium logs every 4xx fetch as a console error; the not-found pages expect exactly those. */
const notHttp404 = (errors: string[]) => errors.filter((e) => !/status of 404/.test(e))

describe.skipIf(!chromiumAvailable())('UX: titles, not-found and empty states, labelled controls', () => {
  let server: TestServer
  let browser: Browser
  let demo: DemoSummary
  let emptyId: string
  beforeAll(async () => {
    server = await startTestServer()
    demo = await seedDemo(server.url, { scale: 'small' })
    const res = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ux-empty' }),
    })
    emptyId = ((await res.json()) as { experiment_id: string }).experiment_id
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })

  it('gives every page its own document title and no unlabelled controls, in both themes', async () => {
    const mnist = demo.experiments.find((e) => e.name === 'mnist-cnn')!
    const showcase = demo.runs.showcase
    const pages: { path: string; ready: (p: Page) => Promise<unknown>; title: RegExp; shot: string }[] = [
      { path: '/experiments', ready: (p) => p.getByRole('link', { name: 'mnist-cnn' }).waitFor(), title: /^Experiments · Logbook$/, shot: 'experiments' },
      { path: `/experiments/${mnist.id}`, ready: (p) => p.locator('.runs-total', { hasText: /\d+ runs?/ }).waitFor(), title: /^mnist-cnn · Runs · Logbook$/, shot: 'runs' },
      { path: `/runs/${showcase}`, ready: (p) => p.getByRole('heading', { name: 'Details' }).waitFor(), title: / · Run · Logbook$/, shot: 'run' },
      { path: `/compare?runs=${mnist.runIds.slice(0, 3).join(',')}`, ready: (p) => p.locator('table.diff-table').waitFor(), title: /^Compare runs · Logbook$/, shot: 'compare' },
      { path: `/charts?runs=${showcase}`, ready: (p) => p.getByRole('heading', { name: 'Charts' }).waitFor(), title: /^Charts · Logbook$/, shot: 'charts' },
      { path: '/models', ready: (p) => p.getByRole('link', { name: 'demo-classifier' }).waitFor(), title: /^Registered models · Logbook$/, shot: 'models' },
      { path: '/models/demo-classifier', ready: (p) => p.getByRole('heading', { name: /demo-classifier/ }).waitFor(), title: /^demo-classifier · Models · Logbook$/, shot: 'model' },
      { path: '/models/demo-classifier/versions/1', ready: (p) => p.getByText('Source run').waitFor(), title: /^demo-classifier v1 · Models · Logbook$/, shot: 'model-version' },
      { path: '/login', ready: (p) => p.getByRole('heading', { name: /Log in/ }).waitFor(), title: /^Log in · Logbook$/, shot: 'login' },
    ]
    for (const theme of ['light', 'dark']) {
      for (const spec of pages) {
        const errors: string[] = []
        const page = await openPage(browser, errors)
        await page.addInitScript((t) => localStorage.setItem('logbook.theme', t), theme)
        await page.goto(`${server.url}${spec.path}`)
        await spec.ready(page)
        await expect.poll(() => page.title(), { message: spec.path }).toMatch(spec.title)
        expect(await unlabelledControls(page), `${spec.path} (${theme})`).toEqual([])
        await screenshot(page, `ux-${spec.shot}-${theme}`)
        expect(errors, spec.path).toEqual([])
        await page.close()
      }
    }
  }, 240_000)

  it('shows a not-found state for a missing run and a missing experiment, and a clear empty experiment', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)

    await page.goto(`${server.url}/runs/doesnotexist`)
    await page.getByRole('alert').filter({ hasText: /not found/i }).waitFor()
    await expect.poll(() => page.title()).toBe('Run not found · Logbook')
    await screenshot(page, 'ux-run-not-found')
    await page.getByRole('link', { name: 'Back to experiments' }).click()
    await page.waitForURL(/\/experiments$/)

    await page.goto(`${server.url}/experiments/999999`)
    await page.getByRole('alert').filter({ hasText: /999999/ }).waitFor()
    await expect.poll(() => page.title()).toBe('Experiment not found · Logbook')
    expect(await page.getByRole('grid').count()).toBe(0) // no empty runs table pretending the experiment exists
    await screenshot(page, 'ux-experiment-not-found')

    await page.goto(`${server.url}/experiments/${emptyId}`)
    await page.getByText('No runs yet.').waitFor()
    await expect.poll(() => page.title()).toBe('ux-empty · Runs · Logbook')
    expect(await unlabelledControls(page)).toEqual([])
    await screenshot(page, 'ux-experiment-empty')

    await page.goto(`${server.url}/tokens`) // this server runs without authentication
    await page.getByRole('status').filter({ hasText: 'Authentication is not enabled' }).waitFor()
    await expect.poll(() => page.title()).toBe('Access tokens · Logbook')
    await screenshot(page, 'ux-tokens-auth-off')

    await page.goto(`${server.url}/no/such/view`)
    await expect.poll(() => page.title()).toBe('Not found · Logbook')
    expect(notHttp404(errors)).toEqual([])
  }, 120_000)
})
