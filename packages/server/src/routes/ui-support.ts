import type { Hono } from 'hono'
import { SAMPLED_BINARY_TYPE, encodeDouble, encodeSampledBinary, invalidParam, parseRunFilter, parseRunOrderBy, parseRunTableOrderBy, uiRequests as ui } from '@logbook/core'
import type { SampledSeries, UiQueries } from '@logbook/store'
import { LOGBOOK_PREFIXES, jsonText, rpc } from '../rpc.ts'

/** MLflow's double encoding, keeping empty lists (the UI reads `params: []` as "none"). */
function uiJson(body: unknown): Response {
  return jsonText(
    JSON.stringify(body, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? JSON.parse(encodeDouble(value)) : value,
    ),
  )
}

/**
 * A list of doubles through JSON.stringify (one native pass), which writes non-finite values as
 * null: those nulls become MLflow's "NaN" / "Infinity" / "-Infinity", in order.
 */
function doubles(list: number[]): string {
  const json = JSON.stringify(list)
  if (!json.includes('null')) return json
  const special = list.filter((v) => !Number.isFinite(v)).map(encodeDouble)
  let i = 0
  return json.replace(/null/g, () => special[i++] as string)
}

/** Series encoded by hand: up to 100 runs x 5,000 buckets x 5 arrays; a replacer is several times slower. */
function seriesJson(series: SampledSeries[]): Response {
  const items = series.map(
    (s) =>
      `{"run_id":${JSON.stringify(s.run_id)},"metric_key":${JSON.stringify(s.metric_key)},` +
      `"total_points":${s.total_points},"sampled":${s.sampled},"x":[${s.x.join(',')}],` +
      `"min":${doubles(s.min)},"max":${doubles(s.max)},"last":${doubles(s.last)},"count":[${s.count.join(',')}]}`,
  )
  return jsonText(`{"series":[${items.join(',')}]}`)
}

/** `params.<key>` or `tags.<key>` (backticks allowed) as a group-by target. */
function groupTarget(groupBy: string): { entity: 'param' | 'tag'; key: string } {
  const [term] = parseRunOrderBy([groupBy])
  if (!term || (term.entity !== 'param' && term.entity !== 'tag') || /\s(asc|desc)\s*$/i.test(groupBy)) {
    throw invalidParam(`Invalid group_by '${groupBy.slice(0, 200)}': expected params.<key> or tags.<key>`)
  }
  return { entity: term.entity, key: term.key }
}

/** Logbook-only routes behind the web UI (docs/architecture.md, "UI support routes"). */
export function uiSupportRoutes(app: Hono, store: UiQueries): void {
  rpc(app, 'POST', '/runs/table', ui.runsTable, async (req) => {
    const page = await store.runsTable({
      experimentIds: req.experiment_ids,
      filter: parseRunFilter(req.filter),
      orderBy: parseRunTableOrderBy(req.order_by),
      viewType: req.run_view_type ?? 'ACTIVE_ONLY',
      maxResults: req.max_results ?? 100,
      pageToken: req.page_token,
      columns: { params: req.columns?.params ?? [], metrics: req.columns?.metrics ?? [], tags: req.columns?.tags ?? [] },
      parentsOnly: req.parents_only ?? false,
    })
    return uiJson({ runs: page.runs, next_page_token: page.nextPageToken, total: page.total })
  }, LOGBOOK_PREFIXES)

  rpc(app, 'POST', '/runs/groups', ui.runGroups, async (req) => {
    const groups = await store.runGroups({
      experimentIds: req.experiment_ids,
      filter: parseRunFilter(req.filter),
      viewType: req.run_view_type ?? 'ACTIVE_ONLY',
      groupBy: groupTarget(req.group_by),
      metrics: req.metrics ?? [],
    })
    return uiJson({ groups })
  }, LOGBOOK_PREFIXES)

  rpc(app, 'GET', '/experiments/keys', ui.experimentKeys, async (req) =>
    uiJson(await store.experimentKeys(req.experiment_ids)), LOGBOOK_PREFIXES)

  rpc(app, 'POST', '/metrics/sampled', ui.sampledMetrics, async (req, c) => {
    // Integer x positions inside a fractional zoom window.
    const minX = req.min_x === undefined ? undefined : Math.ceil(req.min_x)
    const maxX = req.max_x === undefined ? undefined : Math.floor(req.max_x)
    if (req.min_x !== undefined && req.max_x !== undefined && req.min_x > req.max_x) {
      throw invalidParam(`min_x (${req.min_x}) must not be greater than max_x (${req.max_x}).`)
    }
    const series = await store.sampledMetrics({
      runIds: req.run_ids,
      metricKey: req.metric_key,
      xAxis: req.x_axis ?? 'step',
      buckets: req.buckets ?? 1000,
      minX,
      maxX,
    })
    // The web UI asks for doubles as bytes (core/sampled-binary.ts); other clients get JSON.
    if (c.req.header('accept')?.includes(SAMPLED_BINARY_TYPE)) {
      return new Response(encodeSampledBinary(series), { headers: { 'content-type': SAMPLED_BINARY_TYPE } })
    }
    return seriesJson(series)
  }, LOGBOOK_PREFIXES)
}
