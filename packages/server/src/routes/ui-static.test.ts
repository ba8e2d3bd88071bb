import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLocalArtifactStore } from '@logbook/artifacts'
import { openTrackingStore } from '@logbook/store'
import { createApp } from '../app.ts'
import { UI_CSP } from './ui-static.ts'

async function appWithUi() {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-ui-'))
  const ui = join(dir, 'dist')
  mkdirSync(join(ui, 'assets'), { recursive: true })
  writeFileSync(join(ui, 'index.html'), '<!doctype html><div id="root"></div>')
  writeFileSync(join(ui, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'outside the build')
  const store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
  const artifacts = await createLocalArtifactStore(join(dir, 'artifacts'))
  return createApp({ store, artifacts, uiDir: ui, config: { version: '0.0.0-test' } })
}

describe('web UI static files', () => {
  it('serves index.html at / and for client-side routes, with CSP and nosniff', async () => {
    const app = await appWithUi()
    for (const path of ['/', '/experiments/1', '/runs/abc?tab=artifacts']) {
      const res = await app.request(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/html')
      expect(res.headers.get('content-security-policy')).toBe(UI_CSP)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await res.text()).toContain('id="root"')
    }
  })

  it('serves fingerprinted assets as immutable with their type', async () => {
    const res = await (await appWithUi()).request('/assets/index-abc.js')
    expect(res.headers.get('content-type')).toContain('text/javascript')
    expect(res.headers.get('cache-control')).toContain('immutable')
    expect(await res.text()).toBe('console.log(1)')
  })

  it('keeps JSON 404s for unknown API routes', async () => {
    const res = await (await appWithUi()).request('/api/2.0/mlflow/no-such-route')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' })
  })

  it('never reads outside the build: dot-dot paths get index.html', async () => {
    const app = await appWithUi()
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt']) {
      const text = await (await app.request(path)).text()
      expect(text).not.toContain('outside the build')
    }
  })
})
