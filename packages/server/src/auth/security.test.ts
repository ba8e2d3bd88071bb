import { describe, expect, it } from 'vitest'
import { testApp } from '../testing.ts'
import { createApp } from '../app.ts'
import { hostAllowed } from './security.ts'

const api = '/api/2.0/mlflow'
const json = { 'content-type': 'application/json' }

describe('Host allow-list (DNS rebinding)', () => {
  it('matches names with any port, exact ports, wildcards and IPv6', () => {
    const allowed = ['localhost', '127.0.0.1', '[::1]', '*.example.com', 'svc:5000']
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1:8080', '[::1]:5000', 'a.example.com', 'svc:5000']) {
      expect(hostAllowed(host, allowed), host).toBe(true)
    }
    for (const host of ['evil.com', 'localhost.evil.com', 'example.com.evil', 'svc:5001', 'svc', '', '127.0.0.2']) {
      expect(hostAllowed(host, allowed), host).toBe(false)
    }
  })

  it('refuses a foreign Host with 403 even with auth off, except on /health and /version', async () => {
    const { app } = await testApp()
    const res = await app.request(`${api}/experiments/search`, { headers: { host: 'evil.attacker.com' } })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('DNS rebinding')
    expect((await app.request('/', { headers: { host: 'evil.attacker.com:5000' } })).status).toBe(403)
    expect((await app.request('/health', { headers: { host: 'evil.attacker.com' } })).status).toBe(200)
    expect((await app.request(`${api}/experiments/search`, { headers: { host: '127.0.0.1:5000' } })).status).toBe(200)
  })

  it('accepts configured hosts', async () => {
    const { store } = await testApp()
    const app = createApp({ store, config: { version: 't', security: { allowedHosts: ['tracking.internal'] } } })
    expect((await app.request(`${api}/experiments/search`, { headers: { host: 'tracking.internal:443' } })).status).toBe(200)
    expect((await app.request(`${api}/experiments/search`, { headers: { host: 'localhost' } })).status).toBe(403)
  })
})

describe('Origin check (CSRF) and CORS', () => {
  it('refuses state-changing requests from a foreign Origin, allows same-origin and no Origin', async () => {
    const { app } = await testApp()
    const body = JSON.stringify({ name: 'x' })
    const foreign = await app.request(`${api}/experiments/create`, { method: 'POST', headers: { ...json, origin: 'http://evil.com' }, body })
    expect(foreign.status).toBe(403)
    expect(await foreign.text()).toBe('Cross-origin request blocked')
    expect((await app.request(`${api}/experiments/create`, { method: 'POST', headers: { ...json, origin: 'null' }, body })).status).toBe(403)
    const put = await app.request('/api/2.0/mlflow-artifacts/artifacts/0/f.txt', { method: 'PUT', headers: { origin: 'http://evil.com' }, body: 'x' })
    expect(put.status).toBe(403)
    expect((await app.request(`${api}/experiments/create`, { method: 'POST', headers: { ...json, origin: 'http://localhost' }, body })).status).toBe(200)
    expect((await app.request(`${api}/experiments/create`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'y' }) })).status).toBe(200)
    // A cross-site GET is harmless without CORS headers: the page cannot read the answer.
    const get = await app.request(`${api}/experiments/search`, { headers: { origin: 'http://evil.com' } })
    expect(get.status).toBe(200)
    expect(get.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers CORS only for configured origins', async () => {
    const { store } = await testApp()
    const app = createApp({ store, config: { version: 't', security: { corsOrigins: ['https://notebook.example'] } } })
    const preflight = await app.request(`${api}/experiments/create`, {
      method: 'OPTIONS',
      headers: { origin: 'https://notebook.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://notebook.example')
    const post = await app.request(`${api}/experiments/create`, {
      method: 'POST',
      headers: { ...json, origin: 'https://notebook.example' },
      body: JSON.stringify({ name: 'z' }),
    })
    expect(post.status).toBe(200)
    expect(post.headers.get('access-control-allow-origin')).toBe('https://notebook.example')
    const other = await app.request(`${api}/experiments/create`, {
      method: 'OPTIONS',
      headers: { origin: 'https://other.example', 'access-control-request-method': 'POST' },
    })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('JSON bodies on state-changing API calls', () => {
  it('requires application/json except for binary artifact uploads and body-less deletes', async () => {
    const { app } = await testApp()
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await app.request(`${api}/experiments/create`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: JSON.stringify({ name: 'x' }),
      })
      expect(res.status, type).toBe(400)
      expect(await res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' })
    }
    const patch = await app.request(`${api}/registered-models/update`, { method: 'PATCH', headers: { 'content-type': 'text/plain' }, body: '{}' })
    expect(patch.status).toBe(400)
    const upload = await app.request('/api/2.0/mlflow-artifacts/artifacts/0/f.txt', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: 'bytes' })
    expect(upload.status).toBe(200)
    expect((await app.request('/api/2.0/mlflow-artifacts/artifacts/0/f.txt', { method: 'DELETE' })).status).toBe(200)
  })
})

describe('headers on served content', () => {
  it('sends a sandboxing CSP and nosniff with every artifact', async () => {
    const { app } = await testApp()
    await app.request('/api/2.0/mlflow-artifacts/artifacts/0/x.html', { method: 'PUT', body: '<script>alert(1)</script>' })
    for (const url of ['/api/2.0/mlflow-artifacts/artifacts/0/x.html', '/ajax-api/2.0/mlflow-artifacts/artifacts/0/x.html']) {
      const res = await app.request(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-disposition')).toMatch(/^attachment/)
    }
  })
})
