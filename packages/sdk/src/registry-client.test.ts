import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import { LogbookClient } from './client.ts'
import { startRun } from './start-run.ts'
import { startTestServer } from './testing/server.ts'
import type { TestServer } from './testing/server.ts'

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

describe('logged models and registry through the low-level client', () => {
  it('creates, finalizes, tags and searches a logged model and reads its files', async () => {
    const run = await startRun({ client, experiment: 'models' })
    const model = await client.models.create({
      experimentId: run.experimentId,
      name: 'clf',
      modelType: 'logreg',
      sourceRunId: run.id,
      params: [{ key: 'lr', value: '0.1' }],
    })
    expect(model.info.status).toBe('LOGGED_MODEL_PENDING')
    const root = model.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
    await client.uploadArtifact(`${root}/MLmodel`, 'flavors: {}\n')
    await client.uploadArtifact(`${root}/weights/w.json`, '[1,2]')
    await client.models.setTags(model.info.model_id, [{ key: 'team/owner', value: 'ml' }])
    await client.models.logParams(model.info.model_id, [{ key: 'epochs', value: '3' }])
    const ready = await client.models.finalize(model.info.model_id, 'LOGGED_MODEL_READY')
    expect(ready.info.status).toBe('LOGGED_MODEL_READY')
    await client.logOutputs(run.id, [{ modelId: model.info.model_id, step: 2 }])

    const got = await client.models.get(model.info.model_id)
    expect(got.info.tags).toContainEqual({ key: 'team/owner', value: 'ml' })
    expect(got.data.params.map((p) => p.key).sort()).toEqual(['epochs', 'lr'])
    const found = await client.models.search({ experimentIds: [run.experimentId] })
    expect(found.models.map((m) => m.info.model_id)).toEqual([model.info.model_id])
    const files = await client.models.listArtifacts(model.info.model_id)
    expect(files.map((f) => f.path)).toEqual(['MLmodel', 'weights'])
    expect((await client.models.listArtifacts(model.info.model_id, 'weights'))[0]?.path).toBe(
      'weights/w.json',
    )
    expect(text(await client.models.downloadArtifact(model.info.model_id, 'weights/w.json'))).toBe(
      '[1,2]',
    )
    await client.models.deleteTag(model.info.model_id, 'team/owner')
    expect((await client.models.get(model.info.model_id)).info.tags).toEqual([])
    const outputs = (await client.getRun(run.id)).outputs.model_outputs
    expect(outputs).toEqual([{ model_id: model.info.model_id, step: 2 }])

    // Register it: versions, aliases, stages, tags, downloads, search, deletion.
    await client.registry.createModel('iris-clf', { description: 'first' })
    const v1 = await client.registry.createVersion({
      name: 'iris-clf',
      source: `models:/${model.info.model_id}`,
      modelId: model.info.model_id,
    })
    expect([v1.version, v1.status, v1.run_id]).toEqual(['1', 'READY', run.id])
    await client.registry.setAlias('iris-clf', 'champion', 1)
    expect((await client.registry.getVersionByAlias('iris-clf', 'champion')).version).toBe('1')
    const staged = await client.registry.transitionStage('iris-clf', 1, 'Production')
    expect(staged.current_stage).toBe('Production')
    expect((await client.registry.getLatestVersions('iris-clf', ['Production']))[0]?.version).toBe(
      '1',
    )
    await client.registry.setVersionTag('iris-clf', 1, 'validated', 'yes')
    await client.registry.setModelTag('iris-clf', 'domain', 'flowers')
    await client.registry.updateVersion('iris-clf', 1, 'v1 notes')
    const v = await client.registry.getVersion('iris-clf', '1')
    expect(v).toMatchObject({ description: 'v1 notes', aliases: ['champion'] })
    expect(v.tags).toEqual([{ key: 'validated', value: 'yes' }])
    expect(await client.registry.getDownloadUri('iris-clf', 1)).toBe(model.info.artifact_uri)
    expect(text(await client.registry.downloadVersionArtifact('iris-clf', 1, 'MLmodel'))).toBe(
      'flavors: {}\n',
    )
    const renamed = await client.registry.renameModel('iris-clf', 'iris')
    expect(renamed.name).toBe('iris')
    expect((await client.registry.updateModel('iris', 'second')).description).toBe('second')
    const models = await client.registry.searchModels({ filter: "name LIKE 'iris%'" })
    expect(models.models.map((m) => [m.name, m.tags])).toEqual([
      ['iris', [{ key: 'domain', value: 'flowers' }]],
    ])
    const versions = await client.registry.searchVersions({ filter: "name='iris'" })
    expect(versions.versions.map((x) => x.version)).toEqual(['1'])
    await client.registry.deleteAlias('iris', 'champion')
    await client.registry.deleteVersionTag('iris', 1, 'validated')
    await client.registry.deleteModelTag('iris', 'domain')
    expect((await client.registry.getModel('iris')).tags).toEqual([])
    await client.registry.deleteVersion('iris', 1)
    await client.registry.deleteModel('iris')
    const gone = await client.registry.getModel('iris').catch((e: unknown) => e)
    expect(isMlflowError(gone) && gone.code).toBe('RESOURCE_DOES_NOT_EXIST')
    await client.models.delete(model.info.model_id)
    const deleted = await client.models.get(model.info.model_id).catch((e: unknown) => e)
    expect(isMlflowError(deleted) && deleted.code).toBe('RESOURCE_DOES_NOT_EXIST')
    await run.end()
  })

  it('deletes experiment tags and artifacts', async () => {
    const id = await client.createExperiment('tags-and-files')
    await client.setExperimentTag(id, 'k', 'v')
    await client.deleteExperimentTag(id, 'k')
    expect((await client.getExperiment(id)).tags ?? []).toEqual([])
    await client.uploadArtifact(`${id}/x/a.txt`, 'a')
    await client.deleteArtifact(`${id}/x/a.txt`)
    expect(await client.listArtifacts(`${id}/x`)).toEqual([])
  })
})
