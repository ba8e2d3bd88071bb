import { mkdtempSync } from 'node:fs'
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalArtifactStore } from '@logbook/artifacts'
import { openTrackingStore } from '@logbook/store'
import type { LogbookStore } from '@logbook/store'
import { createApp } from '../app.ts'
import { close, listen } from '../serve.ts'
import { ARTIFACT_CSP } from './artifact-http.ts'

const A = '/api/2.0/mlflow-artifacts'
const INVALID = { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' }

let dir: string
let app: Hono
let store: LogbookStore

/** An app on a temporary SQLite store and a local artifact root `<dir>/root`, with files outside it. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logbook-proxy-'))
  store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, {
    defaultArtifactRoot: 'mlflow-artifacts:',
  })
  const artifacts = await createLocalArtifactStore(join(dir, 'root'))
  app = createApp({ store, artifacts, config: { version: '0.0.0-test' } })
  await writeFile(join(dir, 'outside.txt'), 'secret')
  await mkdir(join(dir, 'root-sibling'))
  await writeFile(join(dir, 'root-sibling', 'keep.txt'), 'keep')
  await symlink(dir, join(dir, 'root', 'escape'))
})
afterAll(() => store.close())

async function outsideIntact(): Promise<void> {
  expect(await readFile(join(dir, 'outside.txt'), 'utf8')).toBe('secret')
  expect(await readFile(join(dir, 'root-sibling', 'keep.txt'), 'utf8')).toBe('keep')
  const created = (await readdir(dir)).filter((name) => !name.startsWith('logbook.db'))
  expect(created.sort()).toEqual(['outside.txt', 'root', 'root-sibling'])
}

const put = (path: string, body: string | Uint8Array, prefix = A) =>
  app.request(`${prefix}/artifacts/${path}`, {
    method: 'PUT',
    body: typeof body === 'string' ? body : new Blob([Buffer.from(body)]),
    headers: { 'content-type': 'text/plain' },
  })
const headersOf = (res: Response): Record<string, string> => {
  const out: Record<string, string> = {}
  res.headers.forEach((value, key) => (out[key] = value))
  return out
}
const jsonOf = async (res: Response | Promise<Response>) =>
  (await res).json() as Promise<Record<string, any>>
const postJson = (path: string, body: unknown) =>
  app.request(`${A}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })

describe('artifact proxy', () => {
  it('uploads, downloads with exact headers, lists and deletes on both prefixes', async () => {
    for (const prefix of [A, '/ajax-api/2.0/mlflow-artifacts']) {
      const res = await put('1/run/artifacts/dir/a.txt', 'hello', prefix)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({})
      const got = await app.request(`${prefix}/artifacts/1/run/artifacts/dir/a.txt`, {
        headers: { accept: 'text/html' },
      })
      expect(got.status).toBe(200)
      expect(headersOf(got)).toEqual({
        'content-type': 'text/plain',
        'content-disposition': 'attachment; filename="a.txt"',
        'x-content-type-options': 'nosniff',
        'content-security-policy': ARTIFACT_CSP,
        'content-length': '5',
      })
      expect(await got.text()).toBe('hello')
    }
    await put('1/run/artifacts/dir/empty.bin', '')
    await put('1/run/artifacts/dir/sub/model/MLmodel', 'flavors: {}')
    expect(await jsonOf(app.request(`${A}/artifacts?path=1/run/artifacts`))).toEqual({
      files: [{ path: 'dir', is_dir: true }],
    })
    expect(await jsonOf(app.request(`${A}/artifacts?path=1%2Frun%2Fartifacts%2Fdir`))).toEqual({
      files: [
        { path: 'a.txt', is_dir: false, file_size: 5 },
        { path: 'empty.bin', is_dir: false },
        { path: 'sub', is_dir: true },
      ],
    })
    expect(await jsonOf(app.request(`${A}/artifacts?path=1/run/artifacts/dir/a.txt`))).toEqual({})
    expect(await jsonOf(app.request(`${A}/artifacts?path=nope`))).toEqual({})
    expect((await jsonOf(app.request(`${A}/artifacts`))).files).toContainEqual({
      path: '1',
      is_dir: true,
    })
    expect(
      await jsonOf(app.request(`${A}/artifacts/1/run/artifacts/dir/a.txt`, { method: 'DELETE' })),
    ).toEqual({})
    expect(
      await jsonOf(app.request(`${A}/artifacts/1/run/artifacts/dir/a.txt`, { method: 'DELETE' })),
    ).toEqual({})
    expect(await jsonOf(app.request(`${A}/artifacts/1/run`, { method: 'DELETE' }))).toEqual({})
    expect(await jsonOf(app.request(`${A}/artifacts?path=1`))).toEqual({})
  })

  it('answers a fast 404 for missing files and folders, and streams binary bytes intact', async () => {
    for (const path of ['missing/file.bin', 'x']) {
      const res = await app.request(`${A}/artifacts/${path}`)
      expect(res.status).toBe(404)
      expect((await res.json()).error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    }
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256)
    await put('x/blob.bin', bytes)
    const got = await app.request(`${A}/artifacts/x/blob.bin`)
    expect(got.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    expect((await app.request(`${A}/artifacts/x`)).status).toBe(404)
  })

  it('guesses MIME types like MLflow and encodes awkward file names', async () => {
    const cases: Record<string, string> = {
      'plot.png': 'image/png',
      MLmodel: 'text/plain',
      'conda.yaml': 'text/plain',
      'm.json': 'text/plain',
      'r.html': 'text/html',
      'data.csv.gz': 'text/csv',
      'weights.pt': 'application/octet-stream',
    }
    for (const [name, type] of Object.entries(cases)) {
      await put(`mime/${name}`, 'x')
      const res = await app.request(`${A}/artifacts/mime/${name}`)
      expect(res.headers.get('content-type'), name).toBe(type)
      await res.body?.cancel()
    }
    await put('mime/%C3%A9t%C3%A9%20%22q%22.txt', 'x')
    const res = await app.request(`${A}/artifacts/mime/%C3%A9t%C3%A9%20%22q%22.txt`)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="_t_ _q_.txt"; filename*=UTF-8''%C3%A9t%C3%A9%20%22q%22.txt`,
    )
    await res.body?.cancel()
    expect(await jsonOf(app.request(`${A}/artifacts?path=mime`))).toMatchObject({
      files: expect.arrayContaining([{ path: 'été "q".txt', is_dir: false, file_size: 1 }]),
    })
    const head = await app.request(`${A}/artifacts/mime/plot.png`, { method: 'HEAD' })
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
      200,
      '1',
      '',
    ])
  })

  it('runs a multipart upload through part URLs that point back at this server', async () => {
    const created = await jsonOf(
      postJson('/mpu/create/1/r/artifacts/models', {
        path: '/home/me/big model.bin',
        num_parts: 3,
      }),
    )
    const id = created.upload_id as string
    expect(created.credentials).toHaveLength(3)
    expect(created.credentials[1]).toEqual({
      url: `http://localhost${A}/mpu/part/${id}/2/1/r/artifacts/models/big%20model.bin`,
      part_number: 2,
      headers: {},
    })
    const parts = ['first-', 'second-', 'third']
    const done = []
    for (const [i, text] of parts.entries()) {
      const res = await app.request(created.credentials[i].url as string, {
        method: 'PUT',
        body: text,
      })
      expect(res.status).toBe(200)
      done.push({
        part_number: i + 1,
        etag: res.headers.get('etag'),
        url: created.credentials[i].url,
      })
    }
    expect(
      await jsonOf(
        postJson('/mpu/complete/1/r/artifacts/models', {
          path: '/home/me/big model.bin',
          upload_id: id,
          parts: done,
        }),
      ),
    ).toEqual({})
    expect(
      await (await app.request(`${A}/artifacts/1/r/artifacts/models/big%20model.bin`)).text(),
    ).toBe(parts.join(''))

    const other = await jsonOf(
      postJson('/mpu/create/1/r', { path: 'C:\\Users\\me\\w.bin', num_parts: 1 }),
    )
    expect(other.credentials[0].url).toMatch(/\/mpu\/part\/[0-9a-f]{32}\/1\/1\/r\/w\.bin$/)
    expect(
      await jsonOf(postJson('/mpu/abort/1/r', { path: 'w.bin', upload_id: other.upload_id })),
    ).toEqual({})
    const bad = await postJson('/mpu/complete/1/r', {
      path: 'w.bin',
      upload_id: other.upload_id,
      parts: [{ part_number: 1, etag: 'x' }],
    })
    expect([bad.status, (await bad.json()).error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST'])
    for (const body of [
      { path: '..', num_parts: 1 },
      { path: 'x', num_parts: 0 },
      { num_parts: 1 },
      { path: 'x', num_parts: 'many' },
    ]) {
      expect((await postJson('/mpu/create/1/r', body)).status, JSON.stringify(body)).toBe(400)
    }
  })

  it('answers 404 ENDPOINT_NOT_FOUND when the server has no artifact store', async () => {
    const bare = createApp({ store, config: { version: '0.0.0-test' } })
    const res = await bare.request(`${A}/artifacts?path=x`)
    expect([res.status, (await res.json()).error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND'])
  })
})

// Raw request targets (never normalised by app.request: `%2f` is not a separator in URL parsing).
// prettier-ignore
const TRAVERSALS = [
  '..%2f..%2foutside.txt', '%2e%2e%2f%2e%2e%2foutside.txt', '%2E%2E%2F%2E%2E%2Foutside.txt',
  '%252e%252e%252f%252e%252e%252foutside.txt', 'a%5c..%5c..%5coutside.txt', '.%2e%2f.%2e%2foutside.txt',
  '%2Fetc%2Fpasswd', '/etc/passwd', '%2Fetc%2Fpasswd%00.jpg', 'a%00b', 'x%23y', 'x%2523y', 'x%3fy',
  'a;b', 'file:%2F%2F%2Fetc%2Fpasswd', '%2Ffile:%2F%2Fetc%2Fpasswd', 'C:%5cwindows', 'c%3a/x',
  '%c0%ae%c0%ae/outside.txt', 'a%', '%25', 'escape/outside.txt', 'escape/root-sibling/keep.txt',
]
const MPU_BODY = '{"path":"f","upload_id":"u","num_parts":1,"parts":[{"part_number":1,"etag":"e"}]}'

/** Every proxy route with the raw path in it: [name, method, url, body]. */
function routesWith(path: string): [string, string, string, string | undefined][] {
  const part = `${A}/mpu/part/0123456789abcdef0123456789abcdef/1/${path}`
  return [
    ['GET', 'GET', `${A}/artifacts/${path}`, undefined],
    ['PUT', 'PUT', `${A}/artifacts/${path}`, 'pwned'],
    ['DELETE', 'DELETE', `${A}/artifacts/${path}`, undefined],
    ['CREATE', 'POST', `${A}/mpu/create/${path}`, MPU_BODY],
    ['COMPLETE', 'POST', `${A}/mpu/complete/${path}`, MPU_BODY],
    ['ABORT', 'POST', `${A}/mpu/abort/${path}`, MPU_BODY],
    ['PART', 'PUT', part, 'pwned'],
    ...(path.startsWith('/') ? [] : [['LIST', 'GET', `${A}/artifacts?path=${path}`, undefined]]),
  ] as [string, string, string, string | undefined][]
}

describe('artifact proxy against traversal', () => {
  it('refuses every traversal with 400 "Invalid path" on every route, touching nothing outside', async () => {
    for (const path of TRAVERSALS) {
      for (const [name, method, url, body] of routesWith(path)) {
        const headers = { 'content-type': 'application/json' }
        const res = await app.request(url, { method, body, headers })
        expect([res.status, await res.json()], `${name} ${path}`).toEqual([400, INVALID])
      }
    }
    for (const query of ['/etc/passwd', '..', '../outside.txt', '%2e%2e', 'escape']) {
      const res = await app.request(`${A}/artifacts?path=${query}`)
      expect([res.status, await res.json()], query).toEqual([400, INVALID])
    }
    // URL parsing treats `%2e%2e` segments as `..`, so these leave the proxy's routes: 404, not 400.
    for (const path of ['%2e%2e/x', '%2e%2e/%2e%2e/outside.txt', '.%2e/x']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await app.request(`${A}/artifacts/${path}`, {
          method,
          body: method === 'PUT' ? 'pwned' : undefined,
        })
        expect([400, 404], `${method} ${path}`).toContain(res.status)
      }
    }
    const name = await postJson('/mpu/create/ok', { path: '/tmp/..', num_parts: 1 })
    expect([name.status, await name.json()]).toEqual([400, INVALID])
    await outsideIntact()
  })

  it('survives literal /../ over a real socket (fetch would normalise it away)', async () => {
    const server = await listen(app, '127.0.0.1', 0)
    const { port } = server.address() as AddressInfo
    const send = (method: string, path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on('error', reject)
        req.end(method === 'PUT' ? 'pwned' : undefined)
      })
    try {
      const paths = [
        `${A}/artifacts/../../../../outside.txt`,
        `${A}/artifacts/a/../../../outside.txt`,
        `${A}/artifacts/..%2f..%2foutside.txt`,
        `${A}/artifacts/%2e%2e/%2e%2e/outside.txt`,
        `${A}/artifacts/escape/outside.txt`,
        `${A}/artifacts/a\\..\\..\\outside.txt`,
        `${A}/artifacts/x#/../../y`,
      ]
      for (const path of paths) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await send(method, path)
          // 400 from the resolver, or 404 when URL normalisation moved the request off the proxy.
          expect([400, 404], `${method} ${path} -> ${res.status} ${res.body}`).toContain(res.status)
          expect(res.body).not.toContain('secret')
        }
      }
      await outsideIntact()
      // Inside the root too, the server must act on the path it was sent, never a resolved one.
      for (const path of [`${A}/artifacts/1/x/../moved.txt`, `${A}/artifacts/1/x/%2e%2e/moved.txt`]) {
        expect((await send('PUT', path)).status).toBe(400)
      }
      expect((await send('GET', `${A}/artifacts/1/moved.txt`)).status).toBe(404)
    } finally {
      await close(server)
    }
  })
})
