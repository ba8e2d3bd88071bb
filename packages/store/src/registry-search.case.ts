import { afterEach, beforeEach, expect, it } from 'vitest'
import {
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from '@logbook/core'
import type { LogbookStore } from './logbook-store.ts'
import { expectCode } from './runs.case.ts'

/** Model registry search cases: registered models and versions, prompts excluded by default. */
export function registrySearchCases(fresh: () => Promise<LogbookStore>): void {
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
  const searchModels = (
    filter?: string,
    orderBy?: string[],
    maxResults = 100,
    pageToken?: string,
  ) =>
    store.searchRegisteredModels({
      filter: parseRegisteredModelFilter(filter),
      orderBy: parseRegisteredModelOrderBy(orderBy),
      maxResults,
      pageToken,
    })
  const searchVersions = (filter?: string, orderBy?: string[]) =>
    store.searchModelVersions({
      filter: parseModelVersionFilter(filter),
      orderBy: parseModelVersionOrderBy(orderBy),
      maxResults: 1000,
    })
  it('searches registered models with filters, order, paging, and without prompts by default', async () => {
    for (const name of ['b-model', 'a-model', 'C-model', 'prompt']) {
      const tags =
        name === 'prompt'
          ? [{ key: 'mlflow.prompt.is_prompt', value: 'true' }]
          : [{ key: 'team', value: name.slice(0, 1) }]
      await store.createRegisteredModel({ name, tags })
    }
    const all = await searchModels()
    expect(all.items.map((m) => m.name)).toEqual(['C-model', 'a-model', 'b-model'])
    expect(
      (await searchModels("name LIKE '%model'", ['name DESC'])).items.map((m) => m.name),
    ).toEqual(['b-model', 'a-model', 'C-model'])
    expect((await searchModels("name ILIKE 'c%'")).items.map((m) => m.name)).toEqual(['C-model'])
    expect((await searchModels("tags.team = 'a'")).items.map((m) => m.name)).toEqual(['a-model'])
    expect((await searchModels("name IN ('a-model', 'prompt')")).items.map((m) => m.name)).toEqual([
      'a-model',
    ])
    expect(
      (await searchModels("tags.`mlflow.prompt.is_prompt` = 'true'")).items.map((m) => m.name),
    ).toEqual(['prompt'])
    const first = await searchModels(undefined, ['timestamp DESC'], 2)
    expect(first.items).toHaveLength(2)
    const second = await searchModels(undefined, ['timestamp DESC'], 2, first.nextPageToken)
    expect(second.items).toHaveLength(1)
    expect(second.nextPageToken).toBeUndefined()
    await expectCode(searchModels(undefined, undefined, 10, 'bad'), 'INVALID_PARAMETER_VALUE')
    await expectCode(
      store.createRegisteredModel({ name: 'prompt', tags: [] }),
      'RESOURCE_ALREADY_EXISTS',
      /prompt/,
    )
  })

  it('searches model versions by name, run_id, source, number and tags', async () => {
    const r1 = (await store.createRun({ experimentId: '0', tags: [] })).info.run_id
    const r2 = (await store.createRun({ experimentId: '0', tags: [] })).info.run_id
    await store.createRegisteredModel({ name: 'x', tags: [] })
    await store.createRegisteredModel({ name: 'y', tags: [] })
    await version('x', `runs:/${r1}/model`)
    await version('x', `runs:/${r2}/model`)
    await version('y', `runs:/${r1}/model`)
    await store.setModelVersionTag('y', '1', 'stage', 'gold')
    const ids = (page: { items: { name: string; version: string }[] }) =>
      page.items.map((v) => `${v.name}/${v.version}`)
    expect(ids(await searchVersions(`run_id = '${r1}'`)).sort()).toEqual(['x/1', 'y/1'])
    expect(ids(await searchVersions(`run_id IN ('${r2}')`))).toEqual(['x/2'])
    expect(ids(await searchVersions("name = 'x' AND version_number > 1"))).toEqual(['x/2'])
    expect(ids(await searchVersions("source_path LIKE 'runs:/%'"))).toHaveLength(3)
    expect(ids(await searchVersions("tags.stage = 'gold'"))).toEqual(['y/1'])
    expect(ids(await searchVersions(undefined, ['name ASC', 'version_number ASC']))).toEqual([
      'x/1',
      'x/2',
      'y/1',
    ])
    await store.setRegisteredModelTag('y', 'mlflow.prompt.is_prompt', 'true')
    expect(ids(await searchVersions(undefined, ['name ASC']))).toEqual(['x/2', 'x/1'])
    await store.deleteRegisteredModelTag('y', 'mlflow.prompt.is_prompt')
    await store.deleteRegisteredModelTag('y', 'never-set')
    expect(ids(await searchVersions())).toHaveLength(3)
  })
}
