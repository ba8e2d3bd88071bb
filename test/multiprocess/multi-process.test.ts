import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CREDENTIALS, s3ServerMissing, startS3Server, type S3TestServer } from '../../packages/artifacts/src/testing/s3-server.ts'
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from '../../packages/store/src/testing/postgres-cluster.ts'
import { requireComponent } from '../../packages/store/src/testing/require-component.ts'
import { Client, startServerProcess, type ServerProcess } from './servers.ts'

/**
 * Several server processes on one PostgreSQL database and one S3 bucket: two started independently
 * and one `--workers 2`. Concurrent clients spread every request over all of them; afterwards every
 * point must be stored exactly once and no request may have failed.
 */

const available =
  requireComponent('PostgreSQL', postgresAvailable(), 'no initdb/pg_ctl under /usr/lib/postgresql (apt-get install postgresql)') &&
  requireComponent('S3 test server (moto)', s3ServerMissing() === undefined, s3ServerMissing() ?? '')

const CLIENTS = 6
const BATCHES = 16
const POINTS_PER_BATCH = 500
const KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'val_loss']

describe.skipIf(!available)('several server processes on one PostgreSQL and one S3 bucket', () => {
  let pg: PostgresCluster
  let s3: S3TestServer
  const servers: ServerProcess[] = []

  beforeAll(async () => {
    ;[pg, s3] = await Promise.all([startPostgresCluster(), startS3Server('logbook-multi')])
    const args = ['--backend-store-uri', pg.url, '--artifacts-destination', `s3://${s3.bucket}/artifacts`]
    const env = {
      MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
    }
    // Started at the same moment: the migrations race and must serialise on the advisory lock.
    servers.push(...(await Promise.all([startServerProcess(args, env), startServerProcess(args, env), startServerProcess([...args, '--workers', '2'], env, 2)])))
  }, 180_000)

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await s3?.stop()
    await pg?.stop()
  })

  it('stores every point exactly once while clients log and search through every process', async () => {
    const client = new Client()
    const urls = servers.map((s) => s.url)
    const pick = (i: number): string => urls[i % urls.length]!

    // The same experiment name created through every process at once: exactly one wins, the rest get 400.
    const racers = await Promise.all(urls.map((u) => client.post<{ experiment_id?: string; error_code?: string }>(u, 'experiments/create', { name: 'shared' }, true)))
    expect(racers.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of racers.filter((r) => r.status !== 200)) expect(r.body.error_code).toBe('RESOURCE_ALREADY_EXISTS')
    const experimentId = racers.find((r) => r.status === 200)!.body.experiment_id!

    const runIds = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const created = await client.post<{ run: { info: { run_id: string } } }>(pick(c), 'runs/create', { experiment_id: experimentId, run_name: `client-${c}`, start_time: Date.now() })
        const runId = created.body.run.info.run_id
        for (let b = 0; b < BATCHES; b++) {
          const metrics = Array.from({ length: POINTS_PER_BATCH }, (_, i) => {
            const n = b * POINTS_PER_BATCH + i
            return { key: KEYS[n % KEYS.length]!, value: n / 7, step: Math.floor(n / KEYS.length), timestamp: 1_700_000_000_000 + n }
          })
          // Each batch goes to a different process than the one before.
          await client.post(pick(c + b), 'runs/log-batch', { run_id: runId, metrics, params: b === 0 ? [{ key: 'client', value: String(c) }] : [] })
          if (b % 4 === 0) await client.post(pick(c + b + 1), 'runs/search', { experiment_ids: [experimentId], filter: `params.client = '${c}'` })
        }
        const artifact = `client ${c} artifact`
        const put = await fetch(`${pick(c)}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes/c${c}.txt`, { method: 'PUT', body: artifact })
        client.requests++
        if (!put.ok) client.failures.push(`PUT artifact -> ${put.status}`)
        await client.post(pick(c + 1), 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() })
        return runId
      }),
    )
    expect(client.failures).toEqual([])

    // Read back through every process: each run has every point exactly once, and its artifact.
    const perKey = (BATCHES * POINTS_PER_BATCH) / KEYS.length
    for (const [c, runId] of runIds.entries()) {
      for (const [k, key] of KEYS.entries()) {
        const url = pick(c + k)
        const history = await client.get<{ metrics: { step: number; value: number }[] }>(url, `metrics/get-history?run_id=${runId}&metric_key=${key}&max_results=25000`)
        const steps = history.body.metrics.map((m) => m.step).sort((a, b) => a - b)
        expect(steps).toEqual(Array.from({ length: perKey }, (_, i) => i))
      }
      // latest_metrics was upserted by different processes: it must still hold the greatest step.
      const run = await client.get<{ run: { data: { metrics: { key: string; value: number; step: number }[] } } }>(pick(c), `runs/get?run_id=${runId}`)
      const last = BATCHES * POINTS_PER_BATCH - 1
      expect(run.body.run.data.metrics.find((m) => m.key === KEYS[last % KEYS.length])).toMatchObject({ step: perKey - 1, value: last / 7 })
      const download = await fetch(`${pick(c + 2)}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes/c${c}.txt`)
      expect(await download.text()).toBe(`client ${c} artifact`)
    }
    for (const url of urls) {
      const found = await client.post<{ runs: { info: { status: string } }[] }>(url, 'runs/search', { experiment_ids: [experimentId], max_results: 100 })
      expect(found.body.runs).toHaveLength(CLIENTS)
      expect(found.body.runs.every((r) => r.info.status === 'FINISHED')).toBe(true)
    }
    expect(client.failures).toEqual([])
    expect(client.requests).toBeGreaterThan(CLIENTS * BATCHES)
  }, 300_000)
})
