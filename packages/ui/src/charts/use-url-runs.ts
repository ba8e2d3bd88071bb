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

/** The runs named in a page's `?runs=` (charts, compare), with their chart names and colours. */
export function useUrlRuns(runIds: string[]): { loaded: Loaded<WireRun[]>; runs: ChartRun[] } {
  const loaded = useLoad(
    (signal) =>
      Promise.all(runIds.map((id) => mlflow.get<{ run: WireRun }>('runs/get', { run_id: id }, { signal }).then((r) => r.run))),
    [runIds.join(',')],
  )
  const runs = useMemo(
    (): ChartRun[] =>
      (loaded.data ?? []).map((run, i) => ({
        id: run.info.run_id,
        name: runLabel(run.info),
        color: runColor(i),
        startTime: run.info.start_time ?? 0,
      })),
    [loaded.data],
  )
  return { loaded, runs }
}
