import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { createLocalArtifactStore } from '../../packages/artifacts/src/index.ts'
import { close, createApp, listen } from '../../packages/server/src/index.ts'
import { openTrackingStore, type LogbookStore } from '../../packages/store/src/index.ts'
import { freePort } from '../../packages/store/src/testing/free-port.ts'
import { UI_DIST, chromiumAvailable, launchBrowser, openPage, screenshot } from './browser.ts'

/** Browser console noise that is the point of the test: the API answering 401 before login. */
const expected401 = (line: string) => /status of 401/.test(line)

describe.skipIf(!chromiumAvailable())('UI with --auth', () => {
  let browser: Browser
  let server: ServerType
  let store: LogbookStore
  let url: string
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbook-e2e-auth-'))
    store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
    await store.createUser('admin', 'admin-password', true)
    const artifacts = await createLocalArtifactStore(join(dir, 'artifacts'))
    const app = createApp({ store, artifacts, uiDir: UI_DIST, config: { version: 'e2e', auth: { defaultPermission: 'READ' } } })
    const port = await freePort()
    server = await listen(app, '127.0.0.1', port)
    url = `http://127.0.0.1:${port}`
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    if (server) await close(server)
    await store?.close()
  })

  it('sends a visitor to log in and back, manages tokens, logs out', async () => {
    const errors: string[] = []
    const page = await openPage(browser, errors)
    await page.goto(`${url}/models`)
    await page.waitForURL(/\/login\?next=%2Fmodels$/)
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor()
    await page.getByLabel('Password').fill('admin-password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(/\/models$/)
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'logbook_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
    expect(await page.evaluate(() => document.cookie)).not.toContain('logbook_session')

    await page.getByRole('link', { name: 'Tokens' }).click()
    await page.waitForURL(/\/tokens$/)
    await page.getByLabel('Name').fill('e2e laptop')
    await page.getByRole('button', { name: 'Create token' }).click()
    const token = (await page.locator('.token-value').textContent()) ?? ''
    expect(token).toMatch(/^lbk_/)
    const ok = await fetch(`${url}/api/2.0/mlflow/experiments/search`, { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    await screenshot(page, 'auth-tokens')
    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('row', { name: /e2e laptop/ }).getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('row', { name: /e2e laptop.*revoked/ }).waitFor()
    const revoked = await fetch(`${url}/api/2.0/mlflow/experiments/search`, { headers: { authorization: `Bearer ${token}` } })
    expect(revoked.status).toBe(401)

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login$/)
    await page.goto(`${url}/experiments`)
    await page.waitForURL(/\/login\?next=%2Fexperiments$/)
    expect(errors.filter((e) => !expected401(e))).toEqual([])
  }, 60_000)
})
