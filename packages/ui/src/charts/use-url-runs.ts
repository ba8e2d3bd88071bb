import { useMemo } from 'react'
import { mlflow, useLoad, type Loaded } from '../api.ts'
import { runLabel, type WireRun } from '../run/types.ts'
import { runColor } from './colors.ts'
import type { ChartRun } from './series.ts'

/** A comma-separated query value as a list (`?runs=a,b` -> ['a', 'b']). */
export const queryList = (value: string | null): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** How runs are fetched: one by id (runs/get), and several of one experiment by id (runs/search). */
export interface RunSource {
  get(runId: string): Promise<WireRun>
  search(experimentId: string, runIds: string[]): Promise<WireRun[]>
}

/** Run ids a search filter can quote as they are (Logbook's and MLflow's are hex). */
const PLAIN_ID = /^[A-Za-z0-9_-]+$/
/** Ids per runs/search (a filter's IN list). */
const SEARCH_CHUNK = 100

/**
 * Runs by id, in the given order. One runs/get for the first run, then runs/search in its
 * experiment for the others (pages usually chart runs of one experiment): a few requests instead of
 * one per run, which queued behind each other in the browser (6 connections a host) and held up the
 * chart's series. Runs of other experiments, or ids that cannot be quoted, fall back to runs/get.
 */
export async function loadRuns(runIds: string[], source: RunSource): Promise<WireRun[]> {
  const ids = [...new Set(runIds)]
  if (ids.length <= 2) {
    const runs = await Promise.all(ids.map((id) => source.get(id)))
    return runIds.map((id) => runs[ids.indexOf(id)]!)
  }
  const first = await source.get(ids[0]!)
  const found = new Map<string, WireRun>([[first.info.run_id, first]])
  const rest = ids.slice(1).filter((id) => PLAIN_ID.test(id))
  const chunks: string[][] = []
  for (let i = 0; i < rest.length; i += SEARCH_CHUNK) chunks.push(rest.slice(i, i + SEARCH_CHUNK))
  const pages = await Promise.all(chunks.map((chunk) => source.search(first.info.experiment_id, chunk)))
  for (const run of pages.flat()) if (ids.includes(run.info.run_id)) found.set(run.info.run_id, run)
  const missing = ids.filter((id) => !found.has(id))
  const more = await Promise.all(missing.map((id) => source.get(id)))
  more.forEach((run, i) => found.set(missing[i]!, run))
  return runIds.map((id) => found.get(id)!)
}

/** The REST calls behind loadRuns (deleted runs too, as runs/get returns them). */
function restSource(signal: AbortSignal): RunSource {
  return {
    get: (id) => mlflow.get<{ run: WireRun }>('runs/get', { run_id: id }, { signal }).then((r) => r.run),
    search: (experimentId, runIds) =>
      mlflow
        .post<{ runs?: WireRun[] }>(
          'runs/search',
          {
            experiment_ids: [experimentId],
            filter: `attributes.run_id IN (${runIds.map((id) => `'${id}'`).join(', ')})`,
            run_view_type: 'ALL',
            max_results: runIds.length,
          },
          { signal },
        )
        .then((r) => r.runs ?? []),
  }
}

/**
 * The runs named in a page's `?runs=` (charts, compare), with their chart names and colours. While
 * they load, `runs` holds one placeholder per id (its short id as name, no start time), so charts
 * can fetch their series at the same time.
 */
export function useUrlRuns(runIds: string[]): { loaded: Loaded<WireRun[]>; runs: ChartRun[] } {
  const idKey = runIds.join(',')
  const loaded = useLoad((signal) => loadRuns(runIds, restSource(signal)), [idKey])
  const runs = useMemo(
    (): ChartRun[] =>
      loaded.data
        ? loaded.data.map((run, i) => ({
            id: run.info.run_id,
            name: runLabel(run.info),
            color: runColor(i),
            startTime: run.info.start_time ?? 0,
          }))
        : idKey
            .split(',')
            .filter(Boolean)
            .map((id, i) => ({ id, name: id.slice(0, 8), color: runColor(i), startTime: undefined })),
    [loaded.data, idKey],
  )
  return { loaded, runs }
}
