import type { Context, Hono } from 'hono'
import {
  joinSafePath,
  parseArtifactUri,
  safeArtifactPath,
  type ArtifactStore,
} from '@logbook/artifacts'
import {
  MlflowError,
  REGISTRY_LIMITS,
  invalidParam,
  loggedModelRequests as r,
  parseLoggedModelFilter,
  parseLoggedModelOrderBy,
  parseRequest,
  type KeyValue,
} from '@logbook/core'
import type { LoggedModelStore } from '@logbook/store'
import type { z } from 'zod'
import { rpc, rpcRaw, type Method } from '../rpc.ts'

const kv = (list: { key: string; value?: string | null }[] | undefined): KeyValue[] =>
  (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }))

/**
 * Register an RPC with path parameters: ids in the path win over the same fields in the body
 * (MLflow's client sends both for most calls, and only the path for DELETE .../tags/{key}).
 */
function rpcWithPath<S extends z.ZodType>(
  app: Hono,
  method: Method,
  path: string,
  schema: S,
  handler: (req: z.output<S>, c: Context) => Promise<unknown>,
): void {
  rpcRaw(app, method, path, (body, c) => {
    const merged = { ...(body as Record<string, unknown>), ...c.req.param() }
    return handler(parseRequest(schema, merged), c)
  })
}

/** Page size of logged-model search: 50 when absent (proto default), 100 when 0, as MLflow. */
function loggedModelMaxResults(value: number | undefined): number {
  if (value === undefined) return REGISTRY_LIMITS.searchLoggedModelsDefault
  if (value === 0) return 100
  if (value < 0) throw invalidParam(`Invalid value ${value} for parameter 'max_results' supplied.`)
  return value
}

/**
 * MLflow 3 logged-model routes (`/logged-models/...`, path parameters under both prefixes). The
 * artifact listing needs the artifact store; without one it answers 404 like the proxy routes.
 */
export function loggedModelRoutes(
  app: Hono,
  store: LoggedModelStore,
  artifacts?: ArtifactStore,
): void {
  rpc(app, 'POST', '/logged-models', r.createLoggedModel, async (req) => ({
    model: await store.createLoggedModel({
      experimentId: req.experiment_id,
      // MLflow treats an empty name as absent and generates one.
      name: req.name || undefined,
      modelType: req.model_type,
      sourceRunId: req.source_run_id,
      params: kv(req.params),
      tags: kv(req.tags),
    }),
  }))
  rpc(app, 'POST', '/logged-models/search', r.searchLoggedModels, async (req) => {
    const page = await store.searchLoggedModels({
      experimentIds: req.experiment_ids,
      filter: parseLoggedModelFilter(req.filter),
      datasets: (req.datasets ?? []).map((d) => ({
        datasetName: d.dataset_name,
        ...(d.dataset_digest ? { datasetDigest: d.dataset_digest } : {}),
      })),
      orderBy: parseLoggedModelOrderBy(req.order_by),
      maxResults: loggedModelMaxResults(req.max_results),
      pageToken: req.page_token,
    })
    return { models: page.items, next_page_token: page.nextPageToken }
  })
  rpcWithPath(app, 'GET', '/logged-models/:model_id', r.getLoggedModel, async (req) => ({
    model: await store.getLoggedModel(req.model_id, req.allow_deleted ?? false),
  }))
  rpcWithPath(app, 'PATCH', '/logged-models/:model_id', r.finalizeLoggedModel, async (req) => ({
    model: await store.finalizeLoggedModel(req.model_id, req.status),
  }))
  rpcWithPath(app, 'DELETE', '/logged-models/:model_id', r.loggedModelRef, async (req) => {
    await store.deleteLoggedModel(req.model_id)
  })
  rpcWithPath(app, 'PATCH', '/logged-models/:model_id/tags', r.setLoggedModelTags, async (req) => {
    await store.setLoggedModelTags(req.model_id, kv(req.tags))
  })
  // The client puts the raw key in the path, so a key may contain slashes.
  rpcWithPath(
    app,
    'DELETE',
    '/logged-models/:model_id/tags/:tag_key{.+}',
    r.deleteLoggedModelTag,
    async (req) => {
      await store.deleteLoggedModelTag(req.model_id, req.tag_key)
    },
  )
  rpcWithPath(
    app,
    'POST',
    '/logged-models/:model_id/params',
    r.logLoggedModelParams,
    async (req) => {
      await store.logLoggedModelParams(req.model_id, kv(req.params))
    },
  )
  // The UI's file browser: entries are paths relative to the model's artifact root.
  rpcWithPath(
    app,
    'GET',
    '/logged-models/:model_id/artifacts/directories',
    r.listLoggedModelArtifacts,
    async (req) => {
      const model = await store.getLoggedModel(req.model_id)
      if (artifacts === undefined) {
        throw new MlflowError('ENDPOINT_NOT_FOUND', 'This server does not serve artifacts.')
      }
      const root = parseArtifactUri(model.info.artifact_uri)
      const dir = safeArtifactPath(req.artifact_directory_path ?? '')
      const files = await artifacts.list(joinSafePath(root, dir))
      return {
        root_uri: model.info.artifact_uri,
        files: files.map((f) => ({ ...f, path: dir === '' ? f.path : `${dir}/${f.path}` })),
      }
    },
  )
}
