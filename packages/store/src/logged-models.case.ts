import { afterEach, beforeEach, expect, it } from 'vitest'
import { parseLoggedModelFilter, parseLoggedModelOrderBy } from '@logbook/core'
import type { LogbookStore } from './logbook-store.ts'
import type { SearchLoggedModelsQuery } from './logged-model-store.ts'
import { expectCode } from './runs.case.ts'

/** Logged-model cases (MLflow 3 `log_model` metadata), run once per backend. */
export function loggedModelCases(fresh: () => Promise<LogbookStore>): void {
  let store: LogbookStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })

  const search = async (q: Partial<SearchLoggedModelsQuery> & { experimentIds: string[] }) =>
    store.searchLoggedModels({ datasets: [], orderBy: [], maxResults: 50, ...q })
  const names = (page: { items: { info: { name: string } }[] }) =>
    page.items.map((m) => m.info.name)

  it('creates PENDING models under the experiment root, with a random name when none is given', async () => {
    const exp = await store.createExperiment('lm')
    const run = await store.createRun({ experimentId: exp, tags: [] })
    const m = await store.createLoggedModel({
      experimentId: exp,
      name: 'model',
      modelType: 'sklearn',
      sourceRunId: run.info.run_id,
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'mlflow.user', value: 'alice' }],
    })
    expect(m.info.model_id).toMatch(/^m-[0-9a-f]{32}$/)
    expect(m.info).toMatchObject({
      experiment_id: exp,
      name: 'model',
      model_type: 'sklearn',
      source_run_id: run.info.run_id,
      status: 'LOGGED_MODEL_PENDING',
      artifact_uri: `mlflow-artifacts:/${exp}/models/${m.info.model_id}/artifacts`,
      tags: [{ key: 'mlflow.user', value: 'alice' }],
    })
    expect(m.data.params).toEqual([{ key: 'alpha', value: '0.5' }])
    expect(m.info.creation_timestamp_ms).toBe(m.info.last_updated_timestamp_ms)
    const unnamed = await store.createLoggedModel({ experimentId: exp, params: [], tags: [] })
    expect(unnamed.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/)
    expect(unnamed.info.source_run_id).toBeUndefined()
  })

  it('rejects bad names and inactive or unknown experiments', async () => {
    for (const name of ['', 'a/b', 'a:b', 'a.b', 'a%b', 'a"b', "a'b"]) {
      await expectCode(
        store.createLoggedModel({ experimentId: '0', name, params: [], tags: [] }),
        'INVALID_PARAMETER_VALUE',
      )
    }
    await expectCode(
      store.createLoggedModel({ experimentId: '999', params: [], tags: [] }),
      'RESOURCE_DOES_NOT_EXIST',
    )
    await expectCode(
      store.createLoggedModel({ experimentId: 'x', params: [], tags: [] }),
      'INVALID_PARAMETER_VALUE',
    )
    const exp = await store.createExperiment('gone')
    await store.deleteExperiment(exp)
    await expectCode(
      store.createLoggedModel({ experimentId: exp, params: [], tags: [] }),
      'INVALID_PARAMETER_VALUE',
    )
  })

  it('finalizes, tags, logs params and soft-deletes', async () => {
    const m = await store.createLoggedModel({
      experimentId: '0',
      name: 'm',
      params: [{ key: 'a', value: '1' }],
      tags: [],
    })
    const id = m.info.model_id
    expect((await store.finalizeLoggedModel(id, 'LOGGED_MODEL_READY')).info.status).toBe(
      'LOGGED_MODEL_READY',
    )
    await store.setLoggedModelTags(id, [
      { key: 'k', value: 'v1' },
      { key: 'k', value: 'v2' },
      { key: 'x/y', value: '' },
    ])
    expect((await store.getLoggedModel(id)).info.tags).toEqual([
      { key: 'k', value: 'v2' },
      { key: 'x/y', value: '' },
    ])
    await store.deleteLoggedModelTag(id, 'x/y')
    await expectCode(store.deleteLoggedModelTag(id, 'x/y'), 'RESOURCE_DOES_NOT_EXIST')
    await store.logLoggedModelParams(id, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ])
    expect((await store.getLoggedModel(id)).data.params).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ])
    await expectCode(
      store.logLoggedModelParams(id, [{ key: 'a', value: 'changed' }]),
      'INVALID_PARAMETER_VALUE',
    )
    await store.deleteLoggedModel(id)
    await expectCode(store.getLoggedModel(id), 'RESOURCE_DOES_NOT_EXIST', /Logged model with ID/)
    expect((await store.getLoggedModel(id, true)).info.model_id).toBe(id)
    await expectCode(
      store.getLoggedModel('m-00000000000000000000000000000000'),
      'RESOURCE_DOES_NOT_EXIST',
    )
    await expectCode(
      store.finalizeLoggedModel('m-missing', 'LOGGED_MODEL_READY'),
      'RESOURCE_DOES_NOT_EXIST',
    )
  })

  it('records log-batch metrics that carry model_id on the model too', async () => {
    const run = await store.createRun({ experimentId: '0', tags: [] })
    const m = await store.createLoggedModel({
      experimentId: '0',
      name: 'm',
      sourceRunId: run.info.run_id,
      params: [],
      tags: [],
    })
    const id = m.info.model_id
    const point = {
      key: 'acc',
      value: 0.9,
      timestamp: 5,
      step: 0,
      model_id: id,
      dataset_name: 'train',
      dataset_digest: 'abc',
    }
    await store.logBatch(run.info.run_id, {
      metrics: [
        point,
        point,
        { key: 'loss', value: Number.NaN, timestamp: 5, step: 1, model_id: id },
        { key: 'plain', value: 1, timestamp: 5, step: 0 },
      ],
      params: [],
      tags: [],
    })
    await store.logBatch(run.info.run_id, {
      metrics: [{ ...point, model_id: 'm-unknown' }],
      params: [],
      tags: [],
    })
    const metrics = (await store.getLoggedModel(id)).data.metrics
    expect(metrics).toEqual([
      {
        key: 'acc',
        value: 0.9,
        timestamp: 5,
        step: 0,
        dataset_name: 'train',
        dataset_digest: 'abc',
        model_id: id,
        run_id: run.info.run_id,
      },
      {
        key: 'loss',
        value: Number.NaN,
        timestamp: 5,
        step: 1,
        model_id: id,
        run_id: run.info.run_id,
      },
    ])
    expect((await store.getRun(run.info.run_id)).data.metrics.map((x) => x.key)).toEqual([
      'acc',
      'loss',
      'plain',
    ])
  })

  it('searches with filters on attributes, metrics, params and tags, and excludes deleted models', async () => {
    const exp = await store.createExperiment('search')
    const run = await store.createRun({ experimentId: exp, tags: [] })
    const make = async (name: string, acc: number, lr: string, dataset = 'train') => {
      const m = await store.createLoggedModel({
        experimentId: exp,
        name,
        sourceRunId: run.info.run_id,
        params: [{ key: 'lr', value: lr }],
        tags: [{ key: 'team', value: name.toUpperCase() }],
      })
      await store.logBatch(run.info.run_id, {
        metrics: [
          {
            key: 'acc',
            value: acc,
            timestamp: 1,
            step: 0,
            model_id: m.info.model_id,
            dataset_name: dataset,
          },
        ],
        params: [],
        tags: [],
      })
      return m.info.model_id
    }
    const a = await make('alpha', 0.5, '0.1')
    await make('beta', 0.9, '0.2', 'test')
    await make('gamma', 0.7, '0.3')
    await store.finalizeLoggedModel(a, 'LOGGED_MODEL_READY')
    const f = (filter: string) =>
      search({ experimentIds: [exp], filter: parseLoggedModelFilter(filter) })
    expect(names(await f("name = 'beta'"))).toEqual(['beta'])
    expect(names(await f("name LIKE '%a' AND metrics.acc > 0.6")).sort()).toEqual(['beta', 'gamma'])
    expect(names(await f("params.lr IN ('0.1', '0.3')")).sort()).toEqual(['alpha', 'gamma'])
    expect(names(await f("tags.team ILIKE 'al%'"))).toEqual(['alpha'])
    expect(names(await f("status = 'LOGGED_MODEL_READY'"))).toEqual(['alpha'])
    expect(names(await f(`model_id = '${a}'`))).toEqual(['alpha'])
    expect(names(await f('creation_timestamp > 0'))).toHaveLength(3)
    expect(names(await f(`source_run_id != '${run.info.run_id}'`))).toEqual([])
    const onTest = await search({ experimentIds: [exp], datasets: [{ datasetName: 'test' }] })
    expect(names(onTest)).toEqual(['beta'])
    const byAcc = await search({
      experimentIds: [exp],
      orderBy: parseLoggedModelOrderBy([{ field_name: 'metrics.acc', ascending: false }]),
    })
    expect(names(byAcc)).toEqual(['beta', 'gamma', 'alpha'])
    const byName = await search({
      experimentIds: [exp],
      orderBy: parseLoggedModelOrderBy([{ field_name: 'name' }]),
    })
    expect(names(byName)).toEqual(['alpha', 'beta', 'gamma'])
    await store.deleteLoggedModel(a)
    expect(names(await search({ experimentIds: [exp] })).sort()).toEqual(['beta', 'gamma'])
    expect((await search({ experimentIds: [] })).items).toEqual([])
    expect((await search({ experimentIds: ['0'] })).items).toEqual([])
  })

  it('pages with tokens bound to the search parameters', async () => {
    for (let i = 0; i < 5; i++)
      await store.createLoggedModel({ experimentId: '0', name: `p${i}`, params: [], tags: [] })
    const orderBy = parseLoggedModelOrderBy([{ field_name: 'name', ascending: true }])
    const seen: string[] = []
    let token: string | undefined
    do {
      const page = await search({ experimentIds: ['0'], orderBy, maxResults: 2, pageToken: token })
      seen.push(...names(page))
      token = page.nextPageToken
    } while (token)
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4'])
    const first = await search({ experimentIds: ['0'], orderBy, maxResults: 2 })
    await expectCode(
      search({ experimentIds: ['0'], maxResults: 2, pageToken: first.nextPageToken }),
      'INVALID_PARAMETER_VALUE',
    )
    await expectCode(
      search({ experimentIds: ['0'], pageToken: 'garbage' }),
      'INVALID_PARAMETER_VALUE',
    )
  })
}
