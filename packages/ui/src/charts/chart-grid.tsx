import { useMemo, useState } from 'react'
import { LazyMount } from './lazy-mount.tsx'
import { CHART_HEIGHT, MetricChart, type ChartSettings } from './metric-chart.tsx'
import type { ChartRun } from './series.ts'
import './charts.css'

/** Height a chart block reserves before it mounts (caption + canvas + one legend row). */
const BLOCK_HEIGHT = CHART_HEIGHT + 72

/**
 * A grid with one chart per metric key. Every key gets a fixed-height placeholder; only charts near
 * the viewport mount, fetch and draw, so thousands of keys stay responsive. A search box filters keys.
 */
export function ChartGrid({
  runs,
  keys,
  settings,
}: {
  runs: ChartRun[]
  keys: string[]
  settings: ChartSettings
}) {
  const [search, setSearch] = useState('')
  const needle = search.trim().toLowerCase()
  const shown = useMemo(
    () => (needle ? keys.filter((k) => k.toLowerCase().includes(needle)) : keys),
    [keys, needle],
  )
  return (
    <div className="chart-grid-wrap">
      <div className="toolbar">
        <input
          type="search"
          className="key-search"
          placeholder="Search metrics"
          aria-label="Search metrics"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <span className="muted">
          {shown.length === keys.length
            ? `${keys.length} metrics`
            : `${shown.length} of ${keys.length} metrics`}
        </span>
      </div>
      {shown.length === 0 ? (
        <p className="muted">No metrics{needle ? ' match' : ''}.</p>
      ) : (
        <div className="chart-grid">
          {shown.map((key) => (
            <LazyMount key={key} height={BLOCK_HEIGHT} label={`Chart of ${key}`}>
              <MetricChart runs={runs} metricKey={key} settings={settings} />
            </LazyMount>
          ))}
        </div>
      )}
    </div>
  )
}
