import { useMemo } from 'react'
import { ChartControls, settingsFromQuery, settingsToQuery } from '../charts/chart-controls.tsx'
import { ChartGrid } from '../charts/chart-grid.tsx'
import { runColor } from '../charts/colors.ts'
import type { ChartRun } from '../charts/series.ts'
import { setQuery, useLocation } from '../router.tsx'
import { runLabel, type WireRun } from './types.ts'

/** A chart per metric key of the run (lazily mounted), with the chart settings in the URL. */
export function RunMetricsTab({ run }: { run: WireRun }) {
  const { query } = useLocation()
  const settings = settingsFromQuery(query)
  const keys = useMemo(
    () => (run.data.metrics ?? []).map((m) => m.key).sort((a, b) => a.localeCompare(b)),
    [run],
  )
  const runs = useMemo(
    (): ChartRun[] => [
      {
        id: run.info.run_id,
        name: runLabel(run.info),
        color: runColor(0),
        startTime: run.info.start_time ?? 0,
      },
    ],
    [run.info],
  )
  return (
    <div className="run-metrics-tab">
      <ChartControls
        settings={settings}
        metricKeys={keys}
        onChange={(s) => setQuery(settingsToQuery(s))}
      />
      <ChartGrid runs={runs} keys={keys} settings={settings} />
    </div>
  )
}
