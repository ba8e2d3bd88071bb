import { afterEach, beforeEach, expect, it } from 'vitest'
import { isMlflowError, type ErrorCode } from '@logbook/core'
import type { TrackingStore } from './tracking-store.ts'

/** Assert that a promise rejects with an MLflow error of the given code. */
export async function expectCode(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isMlflowError(err), `expected ${code}, got ${String(err)}`).toBe(true)
  if (isMlflowError(err)) {
    expect(err.code).toBe(code)
    if (message) expect(err.message).toMatch(message)
  }
}

/** Experiments and run lifecycle cases, run once per backend. */
export function experimentAndRunCases(fresh: () => Promise<TrackingStore>): void {
  let store: TrackingStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })

  it('has the Default experiment 0 and creates experiments with mlflow-artifacts locations', async () => {
    const def = await store.getExperiment('0')
    expect(def).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' })
    const id = await store.createExperiment('e1', undefined, [{ key: 'team', value: 'ml' }])
    const e = await store.getExperiment(id)
    expect(e).toMatchObject({ name: 'e1', artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: 'team', value: 'ml' }] })
    expect((await store.getExperimentByName('e1'))?.experiment_id).toBe(id)
    expect(await store.getExperimentByName('missing')).toBeUndefined()
  })

  it('rejects duplicate names, including names of deleted experiments', async () => {
    const id = await store.createExperiment('dup')
    await expectCode(store.createExperiment('dup'), 'RESOURCE_ALREADY_EXISTS')
    await store.deleteExperiment(id)
    await expectCode(store.createExperiment('dup'), 'RESOURCE_ALREADY_EXISTS')
    await expectCode(store.getExperiment('12345'), 'RESOURCE_DOES_NOT_EXIST')
    await expectCode(store.getExperiment('abc'), 'INVALID_PARAMETER_VALUE')
  })

  it('renames, tags, deletes and restores experiments with their runs', async () => {
    const id = await store.createExperiment('x')
    await store.renameExperiment(id, 'y')
    expect((await store.getExperiment(id)).name).toBe('y')
    await store.setExperimentTag(id, 'k', 'v')
    await store.setExperimentTag(id, 'k', 'v2')
    expect((await store.getExperiment(id)).tags).toEqual([{ key: 'k', value: 'v2' }])
    await store.deleteExperimentTag(id, 'k')
    await expectCode(store.deleteExperimentTag(id, 'k'), 'RESOURCE_DOES_NOT_EXIST')
    const run = await store.createRun({ experimentId: id, tags: [] })
    const other = await store.createRun({ experimentId: id, tags: [] })
    await store.deleteRun(other.info.run_id)
    await store.deleteExperiment(id)
    expect((await store.getRun(run.info.run_id)).info.lifecycle_stage).toBe('deleted')
    await expectCode(store.renameExperiment(id, 'z'), 'INVALID_PARAMETER_VALUE')
    await expectCode(store.createRun({ experimentId: id, tags: [] }), 'INVALID_PARAMETER_VALUE')
    await expectCode(store.deleteExperiment(id), 'RESOURCE_DOES_NOT_EXIST')
    await store.restoreExperiment(id)
    expect((await store.getRun(run.info.run_id)).info.lifecycle_stage).toBe('active')
    expect((await store.getRun(other.info.run_id)).info.lifecycle_stage).toBe('active')
    await expectCode(store.restoreExperiment(id), 'RESOURCE_DOES_NOT_EXIST')
  })

  it('creates runs with MLflow name resolution, system tags and artifact URIs', async () => {
    const id = await store.createExperiment('runs')
    const a = await store.createRun({ experimentId: id, runName: 'named', startTime: 1000, userId: 'alice', tags: [] })
    expect(a.info).toMatchObject({ run_name: 'named', status: 'RUNNING', start_time: 1000, user_id: 'alice', lifecycle_stage: 'active', experiment_id: id })
    expect(a.info.run_id).toMatch(/^[0-9a-f]{32}$/)
    expect(a.info.run_uuid).toBe(a.info.run_id)
    expect(a.info.end_time).toBeUndefined()
    expect(a.info.artifact_uri).toBe(`mlflow-artifacts:/${id}/${a.info.run_id}/artifacts`)
    expect(a.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'named' })
    const b = await store.createRun({ experimentId: id, tags: [{ key: 'mlflow.runName', value: 'from-tag' }] })
    expect(b.info.run_name).toBe('from-tag')
    const c = await store.createRun({ tags: [] })
    expect(c.info.experiment_id).toBe('0')
    expect(c.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/)
    await expectCode(store.createRun({ experimentId: id, runName: 'x', tags: [{ key: 'mlflow.runName', value: 'y' }] }), 'INVALID_PARAMETER_VALUE')
    await expectCode(store.createRun({ experimentId: '999', tags: [] }), 'RESOURCE_DOES_NOT_EXIST')
  })

  it('updates runs and keeps run_name and the mlflow.runName tag in sync', async () => {
    const run = await store.createRun({ tags: [] })
    const id = run.info.run_id
    const info = await store.updateRun(id, { status: 'FINISHED', endTime: 2000, runName: 'renamed' })
    expect(info).toMatchObject({ status: 'FINISHED', end_time: 2000, run_name: 'renamed' })
    expect((await store.getRun(id)).data.tags).toContainEqual({ key: 'mlflow.runName', value: 'renamed' })
    await store.logBatch(id, { metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: 'via-tag' }] })
    expect((await store.getRun(id)).info.run_name).toBe('via-tag')
    // Finished runs can still be written to (post-training metrics).
    await store.logBatch(id, { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }], params: [], tags: [] })
  })

  it('rejects every write to a deleted run and restores it', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    await store.deleteRun(id)
    expect((await store.getRun(id)).info.lifecycle_stage).toBe('deleted')
    const batch = { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }], params: [], tags: [] }
    await expectCode(store.logBatch(id, batch), 'INVALID_PARAMETER_VALUE', /active/)
    await expectCode(store.updateRun(id, { status: 'FAILED' }), 'INVALID_PARAMETER_VALUE')
    await expectCode(store.deleteTag(id, 'x'), 'INVALID_PARAMETER_VALUE')
    await store.restoreRun(id)
    await store.logBatch(id, batch)
    await expectCode(store.getRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST')
  })

  it('keeps params immutable and tags mutable', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    await store.logBatch(id, { metrics: [], params: [{ key: 'lr', value: '0.1' }, { key: 'empty', value: '' }], tags: [] })
    await store.logBatch(id, { metrics: [], params: [{ key: 'lr', value: '0.1' }], tags: [] })
    await expectCode(
      store.logBatch(id, { metrics: [], params: [{ key: 'lr', value: '0.2' }], tags: [] }),
      'INVALID_PARAMETER_VALUE',
      /Changing param values is not allowed. Param with key='lr' was already logged with value='0.1'/,
    )
    await expectCode(
      store.logBatch(id, { metrics: [], params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }], tags: [] }),
      'INVALID_PARAMETER_VALUE',
      /Duplicate parameter keys/,
    )
    await store.logBatch(id, { metrics: [], params: [], tags: [{ key: 't', value: '1' }] })
    await store.logBatch(id, { metrics: [], params: [], tags: [{ key: 't', value: '2' }] })
    await store.deleteTag(id, 'mlflow.runName')
    const run = await store.getRun(id)
    expect(run.data.params).toEqual([{ key: 'empty', value: '' }, { key: 'lr', value: '0.1' }])
    expect(run.data.tags).toEqual([{ key: 't', value: '2' }])
    await expectCode(store.deleteTag(id, 'nope'), 'RESOURCE_DOES_NOT_EXIST')
  })

  it('validates keys and limits before writing anything', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    const bad = [
      { metrics: [], params: [{ key: 'a$b', value: '1' }], tags: [] },
      { metrics: [], params: [{ key: 'k'.repeat(251), value: '1' }], tags: [] },
      { metrics: [], params: [{ key: '../x', value: '1' }], tags: [] },
      { metrics: [], params: [{ key: 'ok', value: '1' }], tags: [{ key: 'a//b', value: '1' }] },
      { metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 0, step: i })), params: [], tags: [] },
      { metrics: [], params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })), tags: [] },
    ]
    for (const batch of bad) await expectCode(store.logBatch(id, batch), 'INVALID_PARAMETER_VALUE')
    const run = await store.getRun(id)
    expect(run.data.params).toEqual([])
    expect(run.data.metrics).toEqual([])
    await store.logBatch(id, { metrics: [], params: [{ key: 'long', value: 'v'.repeat(7000) }], tags: [{ key: 'long', value: 't'.repeat(9000) }] })
    // Incompressible values of the maximum size (PostgreSQL caps btree entries near 2.7 kB).
    const noise = (n: number) => {
      let x = 12345
      return Array.from({ length: n }, () => {
        x = (x * 1103515245 + 12345) % 2147483648
        return String.fromCharCode(33 + (x >> 16) % 90)
      }).join('')
    }
    await store.logBatch(id, { metrics: [], params: [{ key: 'noise', value: noise(6000) }], tags: [{ key: 'noise', value: noise(8000) }] })
    const after = await store.getRun(id)
    expect(after.data.params.find((p) => p.key === 'noise')?.value).toBe(noise(6000))
    expect(after.data.params.find((p) => p.key === 'long')?.value).toHaveLength(6000)
    expect(after.data.tags.find((t) => t.key === 'long')?.value).toHaveLength(8000)
  })

  it('logs dataset inputs once per (name, digest) and model outputs', async () => {
    const id = (await store.createRun({ tags: [] })).info.run_id
    const ds = { name: 'iris', digest: 'abc123', source_type: 'code', source: '{}', schema: '{"a":1}' }
    const input = { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: ds }
    await store.logInputs(id, [input], [])
    await store.logInputs(id, [input], [])
    await store.logOutputs(id, [{ model_id: 'm-1', step: 3 }])
    const run = await store.getRun(id)
    expect(run.inputs.dataset_inputs).toEqual([input])
    expect(run.outputs.model_outputs).toEqual([{ model_id: 'm-1', step: 3 }])
  })
}
