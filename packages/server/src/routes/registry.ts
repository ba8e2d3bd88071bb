import type { Hono } from 'hono'
import {
  REGISTRY_LIMITS,
  invalidParam,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  registryRequests as r,
  type KeyValue,
} from '@logbook/core'
import type { RegistryStore } from '@logbook/store'
import { rpc } from '../rpc.ts'

const kv = (list: { key: string; value?: string | null }[] | undefined): KeyValue[] =>
  (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }))

/** max_results of the registry searches: MLflow's defaults and upper bounds, at least 1. */
function registryMaxResults(value: number | undefined, fallback: number, max: number): number {
  const n = value ?? fallback
  if (n < 1 || n > max) {
    throw invalidParam(
      `Invalid value for request parameter max_results. It must be between 1 and ${max}, but got value ${n}`,
    )
  }
  return n
}

/** Registered-model routes of MLflow's registry API. */
function registeredModelRoutes(app: Hono, store: RegistryStore): void {
  rpc(app, 'POST', '/registered-models/create', r.createRegisteredModel, async (req) => ({
    registered_model: await store.createRegisteredModel({
      name: req.name,
      tags: kv(req.tags),
      description: req.description,
    }),
  }))
  rpc(app, 'GET', '/registered-models/get', r.registeredModelName, async (req) => ({
    registered_model: await store.getRegisteredModel(req.name),
  }))
  rpc(app, 'POST', '/registered-models/rename', r.renameRegisteredModel, async (req) => ({
    registered_model: await store.renameRegisteredModel(req.name, req.new_name),
  }))
  rpc(app, 'PATCH', '/registered-models/update', r.updateRegisteredModel, async (req) => ({
    registered_model: await store.updateRegisteredModel(req.name, req.description),
  }))
  rpc(app, 'DELETE', '/registered-models/delete', r.registeredModelName, async (req) => {
    await store.deleteRegisteredModel(req.name)
  })
  rpc(app, 'GET', '/registered-models/search', r.searchRegisteredModels, async (req) => {
    const max = REGISTRY_LIMITS.searchRegisteredModelsMax
    const page = await store.searchRegisteredModels({
      filter: parseRegisteredModelFilter(req.filter),
      orderBy: parseRegisteredModelOrderBy(req.order_by),
      maxResults: registryMaxResults(
        req.max_results,
        REGISTRY_LIMITS.searchRegisteredModelsDefault,
        max,
      ),
      pageToken: req.page_token,
    })
    return { registered_models: page.items, next_page_token: page.nextPageToken }
  })
  // The client tries POST first and falls back to GET on ENDPOINT_NOT_FOUND; serve both.
  for (const method of ['POST', 'GET'] as const) {
    rpc(
      app,
      method,
      '/registered-models/get-latest-versions',
      r.getLatestVersions,
      async (req) => ({
        model_versions: await store.getLatestVersions(req.name, req.stages),
      }),
    )
  }
  rpc(app, 'POST', '/registered-models/set-tag', r.setRegisteredModelTag, async (req) => {
    await store.setRegisteredModelTag(req.name, req.key, req.value ?? '')
  })
  rpc(app, 'DELETE', '/registered-models/delete-tag', r.deleteRegisteredModelTag, async (req) => {
    await store.deleteRegisteredModelTag(req.name, req.key)
  })
  rpc(app, 'POST', '/registered-models/alias', r.setRegisteredModelAlias, async (req) => {
    await store.setRegisteredModelAlias(req.name, req.alias, req.version)
  })
  rpc(app, 'DELETE', '/registered-models/alias', r.registeredModelAlias, async (req) => {
    await store.deleteRegisteredModelAlias(req.name, req.alias)
  })
  rpc(app, 'GET', '/registered-models/alias', r.registeredModelAlias, async (req) => ({
    model_version: await store.getModelVersionByAlias(req.name, req.alias),
  }))
}

/** Model-version routes of MLflow's registry API. */
function modelVersionRoutes(app: Hono, store: RegistryStore): void {
  rpc(app, 'POST', '/model-versions/create', r.createModelVersion, async (req) => ({
    model_version: await store.createModelVersion({
      name: req.name,
      source: req.source,
      runId: req.run_id,
      tags: kv(req.tags),
      runLink: req.run_link,
      description: req.description,
      modelId: req.model_id,
    }),
  }))
  rpc(app, 'GET', '/model-versions/get', r.modelVersionRef, async (req) => ({
    model_version: await store.getModelVersion(req.name, req.version),
  }))
  rpc(app, 'PATCH', '/model-versions/update', r.updateModelVersion, async (req) => ({
    model_version: await store.updateModelVersion(req.name, req.version, req.description),
  }))
  rpc(app, 'DELETE', '/model-versions/delete', r.modelVersionRef, async (req) => {
    await store.deleteModelVersion(req.name, req.version)
  })
  rpc(
    app,
    'POST',
    '/model-versions/transition-stage',
    r.transitionModelVersionStage,
    async (req) => ({
      model_version: await store.transitionModelVersionStage(
        req.name,
        req.version,
        req.stage,
        req.archive_existing_versions ?? false,
      ),
    }),
  )
  rpc(app, 'GET', '/model-versions/search', r.searchModelVersions, async (req) => {
    const max = REGISTRY_LIMITS.searchModelVersionsMax
    const page = await store.searchModelVersions({
      filter: parseModelVersionFilter(req.filter),
      orderBy: parseModelVersionOrderBy(req.order_by),
      maxResults: registryMaxResults(
        req.max_results,
        REGISTRY_LIMITS.searchModelVersionsDefault,
        max,
      ),
      pageToken: req.page_token,
    })
    return { model_versions: page.items, next_page_token: page.nextPageToken }
  })
  rpc(app, 'GET', '/model-versions/get-download-uri', r.modelVersionRef, async (req) => ({
    artifact_uri: await store.getModelVersionDownloadUri(req.name, req.version),
  }))
  rpc(app, 'POST', '/model-versions/set-tag', r.setModelVersionTag, async (req) => {
    await store.setModelVersionTag(req.name, req.version, req.key, req.value ?? '')
  })
  rpc(app, 'DELETE', '/model-versions/delete-tag', r.deleteModelVersionTag, async (req) => {
    await store.deleteModelVersionTag(req.name, req.version, req.key)
  })
}

/** The model registry routes: registered models, versions, tags, stages, aliases. */
export function registryRoutes(app: Hono, store: RegistryStore): void {
  registeredModelRoutes(app, store)
  modelVersionRoutes(app, store)
}
