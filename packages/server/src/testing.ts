import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { openTrackingStore, type TrackingStore } from '@logbook/store'
import { createApp } from './app.ts'

/** An app on a fresh temporary SQLite store, for tests that call `app.request()`. */
export async function testApp(): Promise<{ app: Hono; store: TrackingStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-app-'))
  const store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
  return { app: createApp({ store, config: { version: '0.0.0-test' } }), store }
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
