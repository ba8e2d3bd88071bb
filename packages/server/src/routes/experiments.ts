import type { Hono } from 'hono'
import {
  LIMITS,
  invalidParam,
  notFound,
  parseExperimentFilter,
  parseExperimentOrderBy,
  requests as r,
} from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { rpc } from '../rpc.ts'

/** Validate MLflow's max_results bounds for search routes. */
export function searchMaxResults(value: number | undefined, fallback: number): number {
  const n = value ?? fallback
  if (n < 1 || n > LIMITS.searchMaxResults) {
    throw invalidParam(`Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchMaxResults}`)
  }
  return n
}

/** Experiment routes of MLflow's tracking API. */
export function experimentRoutes(app: Hono, store: TrackingStore): void {
  rpc(app, 'POST', '/experiments/create', r.createExperiment, async (req) => ({
    experiment_id: await store.createExperiment(
      req.name,
      req.artifact_location,
      (req.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
    ),
  }))
  rpc(app, 'GET', '/experiments/get', r.experimentId, async (req) => ({
    experiment: await store.getExperiment(req.experiment_id),
  }))
  rpc(app, 'GET', '/experiments/get-by-name', r.getExperimentByName, async (req) => {
    const experiment = await store.getExperimentByName(req.experiment_name)
    if (!experiment) throw notFound(`Could not find experiment with name '${req.experiment_name}'`)
    return { experiment }
  })
  for (const method of ['GET', 'POST'] as const) {
    rpc(app, method, '/experiments/search', r.searchExperiments, async (req) => {
      const page = await store.searchExperiments({
        filter: parseExperimentFilter(req.filter),
        orderBy: parseExperimentOrderBy(req.order_by),
        viewType: req.view_type ?? 'ACTIVE_ONLY',
        maxResults: searchMaxResults(req.max_results, 1000),
        pageToken: req.page_token,
      })
      return { experiments: page.items, next_page_token: page.nextPageToken }
    })
  }
  rpc(app, 'POST', '/experiments/update', r.updateExperiment, async (req) => {
    await store.renameExperiment(req.experiment_id, req.new_name ?? '')
  })
  rpc(app, 'POST', '/experiments/delete', r.experimentId, async (req) => {
    await store.deleteExperiment(req.experiment_id)
  })
  rpc(app, 'POST', '/experiments/restore', r.experimentId, async (req) => {
    await store.restoreExperiment(req.experiment_id)
  })
  rpc(app, 'POST', '/experiments/set-experiment-tag', r.setExperimentTag, async (req) => {
    await store.setExperimentTag(req.experiment_id, req.key, req.value ?? '')
  })
  rpc(app, 'POST', '/experiments/delete-experiment-tag', r.deleteExperimentTag, async (req) => {
    await store.deleteExperimentTag(req.experiment_id, req.key)
  })
}
