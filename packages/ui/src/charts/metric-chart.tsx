import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useLoad } from '../api.ts'
import { formatNumber } from '../components/format.ts'
import { loadChartSeries, type ChartRun, type XMode } from './series.ts'
import { UplotView, type ViewOptions } from './uplot-view.tsx'

export const CHART_HEIGHT = 220

/** Chart settings shared by every chart of a page (kept in the URL). */
export interface ChartSettings {
  xMode: XMode
  smoothing: number
  logY: boolean
}

function xLabel(mode: XMode): string {
  if (mode === 'step') return 'step'
  if (mode === 'time') return 'time'
  if (mode === 'relative') return 'seconds since start'
  return mode.slice('metric:'.length)
}

/** Width of an element, following resizes; measured before the first paint. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    setWidth(Math.floor(el.clientWidth))
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)))
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}

/**
 * One metric across runs. Fetches downsampled series (≈ one bucket per horizontal pixel), re-fetches
 * finer detail for a drag-selected x range, and draws min..max bands where points were aggregated.
 */
export function MetricChart({
  runs,
  metricKey,
  settings,
}: {
  runs: ChartRun[]
  metricKey: string
  settings: ChartSettings
}) {
  const host = useRef<HTMLDivElement>(null)
  const width = useWidth(host)
  const [range, setRange] = useState<readonly [number, number]>()
  const [hover, setHover] = useState<{ values: Map<string, number | null>; x: number }>()
  const byMetric = settings.xMode.startsWith('metric:')
  useEffect(() => setRange(undefined), [settings.xMode])
  // About one bucket per horizontal pixel; nothing is fetched before the width is known.
  const buckets = Math.max(100, Math.min(2000, Math.round(width)))
  const fetchRange = byMetric ? undefined : range
  const runKey = runs.map((r) => r.id).join(',')
  // The relative x-axis needs the runs' start times; the other axes fetch while the runs load.
  const ready = width > 0 && (settings.xMode !== 'relative' || runs.every((r) => r.startTime !== undefined))
  const loaded = useLoad(
    async (signal) =>
      ready
        ? loadChartSeries(runs, metricKey, settings.xMode, fetchRange, buckets, signal)
        : undefined,
    [
      runKey,
      ready,
      metricKey,
      settings.xMode,
      fetchRange?.[0],
      fetchRange?.[1],
      Math.ceil(buckets / 200),
    ],
  )
  const options = useMemo(
    (): ViewOptions => ({
      width,
      height: CHART_HEIGHT,
      time: settings.xMode === 'time',
      xLabel: xLabel(settings.xMode),
      logY: settings.logY,
      smoothing: settings.smoothing,
      pointsOnly: byMetric,
      integerX: settings.xMode === 'step',
      range,
    }),
    [width, settings.xMode, settings.logY, settings.smoothing, byMetric, range],
  )
  const series = loaded.data
  const sampled = series?.some((s) => s.sampled) ?? false
  const points = series?.reduce((n, s) => n + s.x.length, 0) ?? 0
  // NaN and infinities have no place on a y-axis: say so instead of drawing an empty frame.
  const plottable = series?.some((s) => s.last.some(Number.isFinite) || s.min.some(Number.isFinite)) ?? false
  const xs = series?.flatMap((s) => (s.x.length ? [s.x[0]!, s.x[s.x.length - 1]!] : [])) ?? []
  return (
    <figure
      className="metric-chart"
      data-metric={metricKey}
      data-sampled={sampled}
      data-points={points}
      data-zoomed={range ? 'true' : 'false'}
      data-x={settings.xMode}
      data-x-min={xs.length ? Math.min(...xs) : undefined}
      data-x-max={xs.length ? Math.max(...xs) : undefined}
    >
      <figcaption>
        <span className="chart-title mono" title={metricKey}>
          {metricKey}
        </span>
        {sampled && (
          <span
            className="muted chart-note"
            title="Some points were aggregated; the band shows min..max"
          >
            sampled
          </span>
        )}
        {range && (
          <button type="button" className="ghost small" onClick={() => setRange(undefined)}>
            Reset zoom
          </button>
        )}
        {(loaded.loading || !series) && !loaded.error && (
          <span className="muted chart-note">loading…</span>
        )}
      </figcaption>
      <div ref={host} className="chart-canvas" style={{ height: CHART_HEIGHT }}>
        {loaded.error && <p className="error">{loaded.error.message}</p>}
        {series && series.length === 0 && <p className="muted chart-empty">No data.</p>}
        {series && points > 0 && !plottable && (
          <p className="muted chart-empty">
            Only NaN or infinite values were logged for this metric: nothing to plot.
          </p>
        )}
        {series && series.length > 0 && plottable && width > 0 && (
          <UplotView
            runs={runs}
            series={series}
            options={options}
            onZoom={setRange}
            onResetZoom={() => setRange(undefined)}
            onHover={(values, x) => setHover(values && x !== undefined ? { values, x } : undefined)}
          />
        )}
      </div>
      <ul className="chart-legend" aria-label={`Legend of ${metricKey}`}>
        {runs
          .filter((r) => series?.some((s) => s.runId === r.id && s.x.length > 0))
          .map((r) => {
            const v = hover?.values.get(r.id)
            return (
              <li key={r.id}>
                <span className="swatch" style={{ background: r.color }} />
                <span className="legend-name">{r.name}</span>
                {v !== undefined && (
                  <span className="mono legend-value">{v === null ? '—' : formatNumber(v)}</span>
                )}
              </li>
            )
          })}
      </ul>
    </figure>
  )
}
