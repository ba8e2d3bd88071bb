import { LogbookClient } from '../../packages/sdk/src/index.ts'

/**
 * Data for the experiments, runs-table and registry e2e tests, logged through the SDK: an experiment
 * of 12 runs with known params, tags and loss curves (run-00 has the highest final loss, run-11 the
 * lowest), a parent run with three children, a second experiment, and a registered model with two
 * versions from two of the runs.
 */
export interface TableSeed {
  experimentId: string
  otherExperimentId: string
  runs: { id: string; name: string; optimizer: string; lr: string; team: string; loss: number }[]
  parentId: string
  childIds: string[]
  model: string
}

const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const
const LRS = ['0.1', '0.01', '0.001'] as const

export async function seedTable(trackingUri: string): Promise<TableSeed> {
  const client = new LogbookClient({ trackingUri })
  const experimentId = await client.createExperiment('table-demo')
  const otherExperimentId = await client.createExperiment('table-other')
  const t0 = Date.UTC(2026, 0, 1)
  const runs: TableSeed['runs'] = []
  for (let i = 0; i < 12; i++) {
    const name = `run-${String(i).padStart(2, '0')}`
    const optimizer = OPTIMIZERS[i % 3]!
    const lr = LRS[Math.floor(i / 4) % 3]!
    const team = i % 2 === 0 ? 'vision' : 'nlp'
    const run = await client.createRun({
      experimentId,
      runName: name,
      startTime: t0 + i * 60_000,
      userId: 'alice',
    })
    const id = run.info.run_id
    const loss = Number((0.9 - i * 0.05).toFixed(2))
    const metrics = []
    for (let step = 0; step < 5; step++) {
      metrics.push({
        key: 'loss',
        value: Number((loss + (4 - step) * 0.1).toFixed(3)),
        timestamp: t0 + step,
        step,
      })
      metrics.push({
        key: 'acc',
        value: Number((0.5 + i * 0.02 + step * 0.01).toFixed(3)),
        timestamp: t0 + step,
        step,
      })
    }
    await client.logBatch(id, {
      metrics,
      params: [
        { key: 'optimizer', value: optimizer },
        { key: 'lr', value: lr },
        { key: 'epochs', value: '5' },
      ],
      tags: [{ key: 'team', value: team }],
    })
    await client.updateRun(id, { status: 'FINISHED', endTime: t0 + i * 60_000 + 30_000 + i * 1000 })
    runs.push({ id, name, optimizer, lr, team, loss })
  }
  const parent = await client.createRun({
    experimentId,
    runName: 'sweep-parent',
    startTime: t0 + 13 * 60_000,
    userId: 'alice',
  })
  const parentId = parent.info.run_id
  await client.logBatch(parentId, {
    params: [{ key: 'optimizer', value: 'adam' }],
    metrics: [{ key: 'loss', value: 0.2, timestamp: t0, step: 0 }],
  })
  const childIds: string[] = []
  for (let c = 0; c < 3; c++) {
    const child = await client.createRun({
      experimentId,
      runName: `sweep-child-${c}`,
      startTime: t0 + 14 * 60_000 + c,
      userId: 'alice',
      tags: [{ key: 'mlflow.parentRunId', value: parentId }],
    })
    await client.logBatch(child.info.run_id, {
      metrics: [{ key: 'loss', value: 0.3 + c / 10, timestamp: t0, step: 0 }],
      params: [{ key: 'lr', value: String(c) }],
    })
    childIds.push(child.info.run_id)
  }
  for (let i = 0; i < 3; i++) {
    const run = await client.createRun({
      experimentId: otherExperimentId,
      runName: `other-${i}`,
      startTime: t0 + i,
    })
    await client.logBatch(run.info.run_id, {
      metrics: [{ key: 'loss', value: 1 + i, timestamp: t0, step: 0 }],
    })
  }

  const model = 'mnist-classifier'
  await post(trackingUri, 'registered-models/create', {
    name: model,
    description: 'Digits classifier',
  })
  for (const run of [runs[11]!, runs[10]!]) {
    await post(trackingUri, 'model-versions/create', {
      name: model,
      source: `runs:/${run.id}/model`,
      run_id: run.id,
    })
  }
  return { experimentId, otherExperimentId, runs, parentId, childIds, model }
}

/** The SDK has no registry calls; the registry is seeded over MLflow's REST API like its client does. */
async function post(trackingUri: string, route: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${trackingUri}/api/2.0/mlflow/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`)
  return response.json()
}
