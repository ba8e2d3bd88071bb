import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { createLocalArtifactStore } from '@logbook/artifacts'
import { openTrackingStore, type LogbookStore } from '@logbook/store'
import { createApp } from './app.ts'

/**
 * An app on a fresh temporary SQLite store (and a local artifact folder `<dir>/artifacts`), for
 * tests that call `app.request()`.
 */
export async function testApp(
  options: { artifacts: boolean } = { artifacts: true },
): Promise<{ app: Hono; store: LogbookStore; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-app-'))
  const store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
  const artifacts = options.artifacts ? await createLocalArtifactStore(join(dir, 'artifacts')) : undefined
  return { app: createApp({ store, artifacts, config: { version: '0.0.0-test' } }), store, dir }
}

/** POST a JSON body to an MLflow route. */
export function post(app: Hono, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(`/api/2.0/mlflow${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )
}
