import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalArtifactStore, createS3ArtifactStore, type ArtifactStore } from '@logbook/artifacts'
import { TEST_CREDENTIALS, s3ServerMissing, startS3Server, type S3TestServer } from '../../artifacts/src/testing/s3-server.ts'
import { requireComponent } from '../../store/src/testing/require-component.ts'
import { openTrackingStore, type LogbookStore } from '@logbook/store'
import { createApp } from './app.ts'
import { collectGarbage } from './gc.ts'

type Json = Record<string, any>

async function call(app: Hono, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await app.request(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, ...(text.startsWith('{') ? (JSON.parse(text) as Json) : {}) }
}

/** The gc cases, for one artifact backend. */
function gcCases(open: () => Promise<ArtifactStore>): void {
  let app: Hono
  let store: LogbookStore
  let artifacts: ArtifactStore
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbook-gc-'))
    store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
    artifacts = await open()
    app = createApp({ store, artifacts, config: { version: 't' } })
  })
  afterAll(() => store.close())

  const api = (path: string, body: unknown) => call(app, 'POST', `/api/2.0/mlflow${path}`, body)
  async function runWithFile(experimentId: string, file: string): Promise<string> {
    const run = (await api('/runs/create', { experiment_id: experimentId })).run.info
    await api('/runs/log-batch', { run_id: run.run_id, metrics: [{ key: 'm', value: 1, timestamp: 1 }] })
    const put = await call(app, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${run.run_id}/artifacts/${file}`, 'bytes')
    expect(put.status).toBe(200)
    return run.run_id as string
  }
  const listed = async (path: string) => (await artifacts.list(path as never)).map((f) => f.path)

  it('removes deleted runs and experiments with their artifacts, frees names, keeps active data', async () => {
    const keepExp = (await api('/experiments/create', { name: 'keep' })).experiment_id as string
    const goneExp = (await api('/experiments/create', { name: 'gone' })).experiment_id as string
    const kept = await runWithFile(keepExp, 'a.txt')
    const deletedRun = await runWithFile(keepExp, 'dir/b.txt')
    const inGone = await runWithFile(goneExp, 'c.txt')
    await api('/runs/delete', { run_id: deletedRun })
    await api('/experiments/delete', { experiment_id: goneExp })
    expect(await listed(`${keepExp}`)).toEqual([deletedRun, kept].sort())

    const result = await call(app, 'POST', '/api/2.0/logbook/gc', {})
    expect(result.status).toBe(200)
    expect([...result.run_ids].sort()).toEqual([deletedRun, inGone].sort())
    expect(result.experiment_ids).toEqual([goneExp])

    expect(await listed(`${keepExp}`)).toEqual([kept])
    expect(await listed(`${goneExp}`)).toEqual([])
    expect((await call(app, 'GET', `/api/2.0/mlflow/runs/get?run_id=${deletedRun}`)).status).toBe(404)
    expect((await call(app, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${goneExp}`)).status).toBe(404)
    const keptRun = await call(app, 'GET', `/api/2.0/mlflow/runs/get?run_id=${kept}`)
    expect(keptRun.run.data.metrics).toEqual([{ key: 'm', value: 1, timestamp: 1, step: 0 }])
    expect((await call(app, 'GET', `/api/2.0/mlflow-artifacts/artifacts/${keepExp}/${kept}/artifacts/a.txt`)).status).toBe(200)
    const again = await api('/experiments/create', { name: 'gone' })
    expect(again.status).toBe(200)
    expect(again.experiment_id).not.toBe(goneExp)
  })

  it('honours ids and age, and refuses to purge what is not deleted', async () => {
    const exp = (await api('/experiments/create', { name: `ids-${Date.now()}` })).experiment_id as string
    const a = await runWithFile(exp, 'x.txt')
    const b = await runWithFile(exp, 'y.txt')
    await api('/runs/delete', { run_id: a })
    await api('/runs/delete', { run_id: b })
    const refused = await call(app, 'POST', '/api/2.0/logbook/gc', { run_ids: [a, (await runWithFile(exp, 'z.txt'))] })
    expect([refused.status, refused.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    const young = await collectGarbage(store, artifacts, { deletedBefore: Date.now() - 3_600_000 })
    expect(young.runIds).toEqual([])
    const one = await call(app, 'POST', '/api/2.0/logbook/gc', { run_ids: [a] })
    expect(one.run_ids).toEqual([a])
    expect((await call(app, 'GET', `/api/2.0/mlflow/runs/get?run_id=${b}`)).run.info.lifecycle_stage).toBe('deleted')
    expect(await listed(exp)).not.toContain(a)
    expect(await listed(exp)).toContain(b)
  })
}

describe('gc on a local artifact folder', () => gcCases(() => createLocalArtifactStore(mkdtempSync(join(tmpdir(), 'logbook-gc-art-')))))

const s3Missing = s3ServerMissing()
const s3 = requireComponent('S3-compatible server (moto)', s3Missing === undefined, s3Missing ?? '')
describe.skipIf(!s3)('gc on S3 (moto)', () => {
  let server: S3TestServer | undefined
  let n = 0
  beforeAll(async () => {
    server = await startS3Server()
  }, 120_000)
  afterAll(() => server?.stop())
  gcCases(async () => {
    const s = server as S3TestServer
    return createS3ArtifactStore(`s3://${s.bucket}/gc-${++n}`, { env: { AWS_ENDPOINT_URL: s.endpoint }, client: { credentials: TEST_CREDENTIALS } })
  })
})
