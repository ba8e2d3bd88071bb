import { useCallback, useMemo } from 'react'
import { logbook, mlflow, useLoad } from '../api.ts'
import { quoteKey, quoteString } from '../components/search-quote.ts'
import type { Column } from './columns.ts'
import { flattenGroups, flattenRuns, type DisplayRow } from './display-rows.ts'
import type { ExperimentKeys, RunGroup, TableRequest } from './types.ts'
import { useBranches } from './use-branches.ts'
import { useRunPages } from './use-run-pages.ts'
import { andFilters, tableRequest, type ViewState } from './view-state.ts'

/** The filter that selects one group's runs (`params.x = 'v'`, or `IS NULL` for runs without it). */
export function groupFilter(group: Column, value: string | null): string {
  const key = quoteKey(group.kind === 'param' ? 'params' : 'tags', group.key)
  return value === null ? `${key} IS NULL` : `${key} = ${quoteString(value)}`
}

/**
 * Data of the runs page for one view: experiment names and keys, pages of runs (or groups), expanded
 * parents/groups, flattened into grid lines.
 */
export function useRunsView(
  experimentIds: string[],
  view: ViewState,
  openAsFilter: (g: RunGroup) => void,
) {
  const idsKey = experimentIds.join(',')
  const experiments = useLoad(
    (signal) =>
      Promise.all(
        experimentIds.map((id) =>
          mlflow.get<{ experiment: { experiment_id: string; name: string } }>(
            'experiments/get',
            { experiment_id: id },
            { signal },
          ),
        ),
      ),
    [idsKey],
  )
  const keys = useLoad(
    (signal) =>
      logbook.get<ExperimentKeys>('experiments/keys', { experiment_ids: experimentIds }, signal),
    [idsKey],
  )
  const request = useMemo(() => tableRequest(experimentIds, view), [idsKey, JSON.stringify(view)])
  const requestKey = JSON.stringify(request)
  // Until the page has put default columns in the URL, no rows are asked for (they would be asked
  // again with the columns a moment later).
  const pages = useRunPages(view.group || !view.columnsChosen ? undefined : request)

  const groupMetrics = view.columns
    .filter((c) => c.kind === 'metric' && c.agg === 'last')
    .map((c) => c.key)
  const groups = useLoad(
    (signal) =>
      view.group
        ? logbook.post<{ groups?: RunGroup[] }>(
            'runs/groups',
            {
              experiment_ids: experimentIds,
              filter: request.filter,
              run_view_type: request.run_view_type,
              group_by: view.group.id,
              metrics: groupMetrics,
            },
            signal,
          )
        : Promise.resolve({ groups: [] }),
    [idsKey, view.group?.id, request.filter, request.run_view_type, groupMetrics.join('\u0000')],
  )

  const requestFor = useCallback(
    (key: string): TableRequest | undefined => {
      const base = { ...request, parents_only: false }
      if (key.startsWith('group:')) {
        if (!view.group) return undefined
        const value = key === 'group:∅' ? null : key.slice('group:='.length)
        return { ...base, filter: andFilters(request.filter, groupFilter(view.group, value)) }
      }
      return { ...base, filter: `tags.mlflow.parentRunId = ${quoteString(key)}` }
    },
    [requestKey, view.group?.id],
  )
  const branches = useBranches(`${requestKey}|${view.group?.id ?? ''}`, requestFor)

  const rows: DisplayRow[] = useMemo(
    () =>
      view.group
        ? flattenGroups(
            groups.data?.groups ?? [],
            branches.expanded,
            branches.branches,
            openAsFilter,
          )
        : flattenRuns(
            pages.runs,
            branches.expanded,
            branches.branches,
            request.parents_only === true,
          ),
    [
      view.group,
      view.nested,
      groups.data,
      pages.runs,
      branches.expanded,
      branches.branches,
      openAsFilter,
    ],
  )
  const pending =
    view.group || !pages.hasMore ? 0 : Math.max(1, (pages.total ?? 0) - pages.runs.length)
  const error = view.group ? groups.error : pages.error
  const names = (experiments.data ?? []).map((e) => e.experiment)
  return {
    names,
    /** Why the experiments themselves could not be read (e.g. 404: no such experiment). */
    experimentError: experiments.error,
    keys: keys.data ?? {},
    /** The keys request has answered (or failed): defaults can be chosen. */
    keysSettled: !keys.loading,
    pages,
    groups,
    branches,
    rows,
    pending,
    error,
    loading: view.group ? groups.loading : pages.loading,
  }
}
