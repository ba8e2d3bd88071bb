import { afterEach, beforeEach, expect, it } from 'vitest'
import { parseModelVersionFilter, parseModelVersionOrderBy } from '@logbook/core'
import type { LogbookStore } from './logbook-store.ts'
import { expectCode } from './runs.case.ts'

/** Model registry cases: registered models, versions and their sources, stages, aliases. */
export function registryCases(fresh: () => Promise<LogbookStore>): void {
  let store: LogbookStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })
  const version = (
    name: string,
    source: string,
    extra: { runId?: string; modelId?: string } = {},
  ) => store.createModelVersion({ name, source, tags: [], ...extra })
  const searchVersions = (filter?: string, orderBy?: string[]) =>
    store.searchModelVersions({
      filter: parseModelVersionFilter(filter),
      orderBy: parseModelVersionOrderBy(orderBy),
      maxResults: 1000,
    })
  it('creates, renames, describes and hard-deletes registered models', async () => {
    const rm = await store.createRegisteredModel({
      name: 'iris',
      tags: [{ key: 't', value: '1' }],
      description: 'd',
    })
    expect(rm).toMatchObject({
      name: 'iris',
      description: 'd',
      tags: [{ key: 't', value: '1' }],
      latest_versions: [],
      aliases: [],
    })
    await expectCode(
      store.createRegisteredModel({ name: 'iris', tags: [] }),
      'RESOURCE_ALREADY_EXISTS',
      /already exists/,
    )
    for (const name of ['', '  ', 'a/b', 'a:b', '..x']) {
      await expectCode(store.createRegisteredModel({ name, tags: [] }), 'INVALID_PARAMETER_VALUE')
    }
    await version('iris', 'mlflow-artifacts:/0/x/artifacts/model')
    await store.setRegisteredModelAlias('iris', 'champion', '1')
    const renamed = await store.renameRegisteredModel('iris', 'iris2')
    expect(renamed).toMatchObject({
      name: 'iris2',
      aliases: [{ alias: 'champion', version: '1' }],
      tags: [{ key: 't', value: '1' }],
    })
    expect(renamed.latest_versions.map((v) => [v.name, v.version])).toEqual([['iris2', '1']])
    await expectCode(store.getRegisteredModel('iris'), 'RESOURCE_DOES_NOT_EXIST')
    expect((await store.getModelVersion('iris2', '1')).aliases).toEqual(['champion'])
    await store.createRegisteredModel({ name: 'other', tags: [] })
    await expectCode(store.renameRegisteredModel('iris2', 'other'), 'RESOURCE_ALREADY_EXISTS')
    await expectCode(store.renameRegisteredModel('missing', 'x'), 'RESOURCE_DOES_NOT_EXIST')
    expect((await store.updateRegisteredModel('iris2', 'new')).description).toBe('new')
    expect((await store.updateRegisteredModel('iris2', undefined)).description).toBeUndefined()
    await store.deleteRegisteredModel('iris2')
    await expectCode(store.getRegisteredModel('iris2'), 'RESOURCE_DOES_NOT_EXIST')
    await store.createRegisteredModel({ name: 'iris2', tags: [] })
    expect((await version('iris2', 'mlflow-artifacts:/0/y')).version).toBe('1')
    expect((await store.getRegisteredModel('iris2')).aliases).toEqual([])
  })

  it('resolves model version sources and links logged models', async () => {
    const run = await store.createRun({ experimentId: '0', tags: [] })
    const runId = run.info.run_id
    const lm = await store.createLoggedModel({
      experimentId: '0',
      name: 'model',
      sourceRunId: runId,
      params: [],
      tags: [],
    })
    const modelId = lm.info.model_id
    await store.createRegisteredModel({ name: 'm', tags: [] })
    const v1 = await version('m', `models:/${modelId}`, { modelId })
    expect(v1).toMatchObject({
      name: 'm',
      version: '1',
      status: 'READY',
      current_stage: 'None',
      run_id: runId,
      model_id: modelId,
      source: `models:/${modelId}`,
    })
    expect(await store.getModelVersionDownloadUri('m', '1')).toBe(lm.info.artifact_uri)
    const tag = (await store.getLoggedModel(modelId)).info.tags.find(
      (t) => t.key === 'mlflow.modelVersions',
    )
    expect(JSON.parse(tag?.value ?? '[]')).toEqual([{ name: 'm', version: '1' }])
    const v2 = await version('m', `runs:/${runId}/model`)
    expect(v2.run_id).toBe(runId)
    expect(await store.getModelVersionDownloadUri('m', '2')).toBe(`${run.info.artifact_uri}/model`)
    const v3 = await version('m', 'models:/m/1')
    expect(v3).toMatchObject({ source: 'models:/m/1', run_id: runId, model_id: modelId })
    expect(await store.getModelVersionDownloadUri('m', '3')).toBe(lm.info.artifact_uri)
    expect((await version('m', 'mlflow-artifacts:/0/a///b/')).source).toBe(
      'mlflow-artifacts:/0/a///b/',
    )
    await expectCode(
      version('m', `models:/${modelId}`, { modelId: 'm-other' }),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(
      version('m', `runs:/${runId}/model`, { runId: 'ffff' }),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(
      version('m', 'runs:/ffffffffffffffffffffffffffffffff/model'),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(
      version('m', 'models:/m-00000000000000000000000000000000'),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(version('m', 'models:/m/99'), 'RESOURCE_DOES_NOT_EXIST')
    await expectCode(version('missing', 'mlflow-artifacts:/x'), 'RESOURCE_DOES_NOT_EXIST')
  })

  it('rejects sources outside the artifact root, traversal and NUL', async () => {
    await store.createRegisteredModel({ name: 'bad', tags: [] })
    const rejected = [
      'file:///etc/passwd',
      '/tmp/model',
      'relative/path',
      'C:/models',
      's3://bucket/model',
      'http://host/api/2.0/mlflow-artifacts/artifacts/x',
      'ftp://host/x',
      'dbfs:/x',
      'FILE:///etc',
      'mlflow-artifacts://host:9000/models',
      'mlflow-artifacts:/models/../../../etc',
      'mlflow-artifacts:/models/..%2f..%2fetc',
      'mlflow-artifacts:/models/%252e%252e/x',
      'mlflow-artifacts:/models/x%00',
      'mlflow-artifacts:/models\\..\\..\\x',
      'mlflow-artifacts:/a#/../../etc',
      'runs://host/abc/model',
      'models://host/m-1',
    ]
    for (const source of rejected) {
      await expectCode(
        version('bad', source),
        'INVALID_PARAMETER_VALUE',
        /Invalid model version source/,
      )
    }
    expect((await store.getRegisteredModel('bad')).latest_versions).toEqual([])
  })

  it('numbers versions past deleted ones, hides deleted versions and drops their aliases', async () => {
    await store.createRegisteredModel({ name: 'v', tags: [] })
    for (let i = 0; i < 3; i++) await version('v', `mlflow-artifacts:/v${i}`)
    await store.setRegisteredModelAlias('v', 'prod', '3')
    await store.deleteModelVersion('v', '3')
    await expectCode(store.getModelVersion('v', '3'), 'RESOURCE_DOES_NOT_EXIST')
    await expectCode(store.getModelVersionByAlias('v', 'prod'), 'INVALID_PARAMETER_VALUE')
    await expectCode(store.deleteModelVersion('v', '3'), 'RESOURCE_DOES_NOT_EXIST')
    expect((await version('v', 'mlflow-artifacts:/v3')).version).toBe('4')
    expect((await searchVersions("name = 'v'")).items.map((x) => x.version)).toEqual([
      '4',
      '2',
      '1',
    ])
    await expectCode(
      store.getModelVersion('v', 'x'),
      'INVALID_PARAMETER_VALUE',
      /must be an integer/,
    )
    const updated = await store.updateModelVersion('v', '1', 'described')
    expect(updated.description).toBe('described')
    await store.setModelVersionTag('v', '1', 'k', 'v')
    await store.deleteModelVersionTag('v', '1', 'missing')
    expect((await store.getModelVersion('v', '1')).tags).toEqual([{ key: 'k', value: 'v' }])
    await expectCode(
      store.setModelVersionTag('v', '1', 'k', 'x'.repeat(100_001)),
      'INVALID_PARAMETER_VALUE',
    )
  })

  it('sets, resolves and deletes aliases with MLflow rules', async () => {
    await store.createRegisteredModel({ name: 'a', tags: [] })
    await version('a', 'mlflow-artifacts:/1')
    await version('a', 'mlflow-artifacts:/2')
    await store.setRegisteredModelAlias('a', 'champion', '1')
    await store.setRegisteredModelAlias('a', 'champion', '2')
    expect((await store.getModelVersionByAlias('a', 'champion')).version).toBe('2')
    expect((await store.getModelVersionByAlias('a', 'LATEST')).version).toBe('2')
    await expectCode(store.getModelVersionByAlias('a', 'nope'), 'INVALID_PARAMETER_VALUE')
    for (const alias of ['latest', 'v1', 'V12', 'bad alias', '']) {
      await expectCode(store.setRegisteredModelAlias('a', alias, '1'), 'INVALID_PARAMETER_VALUE')
    }
    await expectCode(store.setRegisteredModelAlias('a', 'x', '9'), 'RESOURCE_DOES_NOT_EXIST')
    await expectCode(store.setRegisteredModelAlias('zz', 'x', '1'), 'RESOURCE_DOES_NOT_EXIST')
    await store.deleteRegisteredModelAlias('a', 'champion')
    await store.deleteRegisteredModelAlias('a', 'champion')
    await expectCode(store.deleteRegisteredModelAlias('zz', 'champion'), 'RESOURCE_DOES_NOT_EXIST')
    expect((await store.getRegisteredModel('a')).aliases).toEqual([])
  })

  it('transitions stages and reports the latest version per stage', async () => {
    await store.createRegisteredModel({ name: 's', tags: [] })
    for (let i = 0; i < 4; i++) await version('s', `mlflow-artifacts:/s${i}`)
    expect(
      (await store.transitionModelVersionStage('s', '1', 'production', false)).current_stage,
    ).toBe('Production')
    await store.transitionModelVersionStage('s', '2', 'Staging', false)
    await store.transitionModelVersionStage('s', '3', 'PRODUCTION', true)
    expect((await store.getModelVersion('s', '1')).current_stage).toBe('Archived')
    await expectCode(
      store.transitionModelVersionStage('s', '1', 'Done', false),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(
      store.transitionModelVersionStage('s', '1', 'Archived', true),
      'INVALID_PARAMETER_VALUE',
    )
    const latest = await store.getLatestVersions('s')
    expect(latest.map((v) => [v.current_stage, v.version]).sort()).toEqual([
      ['Archived', '1'],
      ['None', '4'],
      ['Production', '3'],
      ['Staging', '2'],
    ])
    expect(
      (await store.getLatestVersions('s', ['production', 'staging'])).map((v) => v.version).sort(),
    ).toEqual(['2', '3'])
    await expectCode(store.getLatestVersions('s', ['bogus']), 'INVALID_PARAMETER_VALUE')
    expect((await store.getRegisteredModel('s')).latest_versions).toHaveLength(4)
  })
}
