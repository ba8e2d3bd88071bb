import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { requireComponent } from '../../packages/store/src/testing/require-component.ts'

/**
 * Headless Debian Chromium driven by playwright-core, for the UI end-to-end tests and the UI bench.
 * The flags keep Chromium off the network (this machine's network is closed) and work as root.
 */

export const CHROMIUM = process.env.LOGBOOK_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url))
export const UI_DIST = fileURLToPath(new URL('../../packages/ui/dist/', import.meta.url))

/** Whether the browser tests can run here (skips loudly, or fails under LOGBOOK_REQUIRE_ALL=1). */
export function chromiumAvailable(): boolean {
  return (
    requireComponent('Chromium', existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`) &&
    requireComponent('UI build', existsSync(join(UI_DIST, 'index.html')), `no ${UI_DIST}index.html (npm run build:ui)`)
  )
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

/** A new page at 1440x900 that fails the test on any uncaught page error or console error. */
export async function openPage(browser: Browser, errors: string[] = []): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
  })
  return page
}

/** Save a full-page screenshot under test/e2e/screenshots/<name>.png (kept by CI as evidence). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: false })
  return path
}
