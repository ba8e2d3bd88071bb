import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { seedDemo, type DemoSummary } from '../../packages/cli/src/demo/seed.ts'
import { startTestServer, type TestServer } from '../../packages/sdk/src/testing/server.ts'
import { launchBrowser } from './browser.ts'

/* Kept apart from browser.ts, which bench/ui-bench.ts imports outside vitest. */

export interface UiServer {
  server: TestServer
  browser: Browser
}

/**
 * Registers the beforeAll/afterAll of a browser test: a test server, seeded by `seed` (whose fields
 * are merged into the result), and a headless browser. The returned object is filled before the tests run.
 */
export function useUiServer<S extends object = object>(
  seed?: (url: string) => Promise<S>,
  timeout = 60_000,
): UiServer & S {
  const ui = {} as UiServer & S
  beforeAll(async () => {
    ui.server = await startTestServer()
    Object.assign(ui, await seed?.(ui.server.url))
    ui.browser = await launchBrowser()
  }, timeout)
  afterAll(async () => {
    const { browser, server } = ui as Partial<UiServer>
    await browser?.close()
    await server?.dispose()
  })
  return ui
}

/** The small demo data set (`logbook demo --scale small`), as `{ demo }` for useUiServer. */
export const seedSmallDemo = async (url: string): Promise<{ demo: DemoSummary }> => ({
  demo: await seedDemo(url, { scale: 'small' }),
})
