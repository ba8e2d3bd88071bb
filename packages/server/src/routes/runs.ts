import type { Hono } from 'hono'
import { fastMetrics, invalidParam, parseRequest, parseRunFilter, parseRunOrderBy, requests as r, type KeyValue } from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { rpc, rpcRaw } from '../rpc.ts'
import { searchMaxResults } from './experiments.ts'

/** MLflow's clients send run_id and the legacy run_uuid; either identifies the run. */
export function runIdOf(req: { run_id?: string; run_uuid?: string }): string {
  const id = req.run_id || req.run_uuid
  if (!id) {
    throw invalidParam("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.")
  }
  return id
}

const kv = (list: { key: string; value?: string | null }[] | undefined): KeyValue[] =>
  (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }))

/** The logged-model fields of a metric (MLflow 3), kept only when a model id is present. */
function modelFields(m: { model_id?: string; dataset_name?: string; dataset_digest?: string }) {
  if (!m.model_id) return {}
  return { model_id: m.model_id, dataset_name: m.dataset_name, dataset_digest: m.dataset_digest }
}

/** Run routes of MLflow's tracking API: lifecycle, logging, search. */
export function runRoutes(app: Hono, store: TrackingStore): void {
  rpc(app, 'POST', '/runs/create', r.createRun, async (req) => ({
    run: await store.createRun({
      experimentId: req.experiment_id,
      userId: req.user_id,
      runName: req.run_name,
      startTime: req.start_time,
      tags: kv(req.tags),
    }),
  }))
  rpc(app, 'GET', '/runs/get', r.getRun, async (req) => ({ run: await store.getRun(runIdOf(req)) }))
  rpc(app, 'POST', '/runs/update', r.updateRun, async (req) => ({
    run_info: await store.updateRun(runIdOf(req), { status: req.status, endTime: req.end_time, runName: req.run_name }),
  }))
  rpc(app, 'POST', '/runs/delete', r.runIdOnly, async (req) => {
    await store.deleteRun(req.run_id)
  })
  rpc(app, 'POST', '/runs/restore', r.runIdOnly, async (req) => {
    await store.restoreRun(req.run_id)
  })
  rpc(app, 'POST', '/runs/log-metric', r.logMetric, async (req) => {
    const metric = { key: req.key, value: req.value, timestamp: req.timestamp, step: req.step ?? 0, ...modelFields(req) }
    await store.logBatch(runIdOf(req), { metrics: [metric], params: [], tags: [] })
  })
  rpc(app, 'POST', '/runs/log-parameter', r.logParam, async (req) => {
    await store.logBatch(runIdOf(req), { metrics: [], params: [{ key: req.key, value: req.value ?? '' }], tags: [] })
  })
  rpc(app, 'POST', '/runs/set-tag', r.setTag, async (req) => {
    await store.logBatch(runIdOf(req), { metrics: [], params: [], tags: [{ key: req.key, value: req.value ?? '' }] })
  })
  rpc(app, 'POST', '/runs/delete-tag', r.deleteTag, async (req) => {
    await store.deleteTag(req.run_id, req.key)
  })
  // Hot path: metrics in the usual shape skip zod (fastMetrics); anything else gets full validation.
  rpcRaw(app, 'POST', '/runs/log-batch', async (body) => {
    const raw = body as { run_id?: unknown; metrics?: unknown; params?: unknown; tags?: unknown }
    const fast = typeof raw.run_id === 'string' && raw.run_id !== '' ? fastMetrics(raw.metrics ?? []) : undefined
    const req = parseRequest(r.logBatch, fast ? { ...raw, metrics: undefined } : raw)
    await store.logBatch(req.run_id, {
      metrics: fast ?? (req.metrics ?? []).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step ?? 0, ...modelFields(m) })),
      params: kv(req.params),
      tags: kv(req.tags),
    })
  })
  rpc(app, 'POST', '/runs/log-inputs', r.logInputs, async (req) => {
    const datasets = (req.datasets ?? []).map((d) => ({ tags: kv(d.tags), dataset: d.dataset }))
    await store.logInputs(req.run_id, datasets, (req.models ?? []).map((m) => m.model_id))
  })
  rpc(app, 'POST', '/runs/outputs', r.logOutputs, async (req) => {
    await store.logOutputs(req.run_id, (req.models ?? []).map((m) => ({ model_id: m.model_id, step: m.step ?? 0 })))
  })
  rpc(app, 'POST', '/runs/search', r.searchRuns, async (req) => {
    const page = await store.searchRuns({
      experimentIds: req.experiment_ids ?? [],
      filter: parseRunFilter(req.filter),
      orderBy: parseRunOrderBy(req.order_by),
      viewType: req.run_view_type ?? 'ACTIVE_ONLY',
      maxResults: searchMaxResults(req.max_results, 1000),
      pageToken: req.page_token,
    })
    return { runs: page.items, next_page_token: page.nextPageToken }
  })
}
