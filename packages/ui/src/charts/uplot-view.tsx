import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { bandExtent, drawBands, type Band } from './bands.ts'
import { withAlpha } from './colors.ts'
import { smooth, type ChartRun, type RunSeries } from './series.ts'

export interface ViewOptions {
  width: number
  height: number
  /** x values are epoch seconds (wall-time axis). */
  time: boolean
  xLabel: string
  logY: boolean
  smoothing: number
  /** Only points, no lines (x is another metric: the order of points is not a path). */
  pointsOnly: boolean
  /** x values are whole numbers (steps): no ticks between them. */
  integerX: boolean
  /** Fixed x range while zoomed. */
  range: readonly [number, number] | undefined
}

/** Keep the last point per x (a metric may log several values at one step) so x is strictly increasing. */
function dedupe(s: RunSeries): RunSeries {
  const keep: number[] = []
  for (let i = 0; i < s.x.length; i++) {
    if (i + 1 < s.x.length && s.x[i + 1] === s.x[i]) continue
    keep.push(i)
  }
  if (keep.length === s.x.length) return s
  const pick = (a: number[]): number[] => keep.map((i) => a[i]!)
  return { ...s, x: pick(s.x), last: pick(s.last), min: pick(s.min), max: pick(s.max) }
}

/** Log scales cannot show zero, negatives or non-finite values: they become gaps. */
const clean = (values: number[], logY: boolean): (number | null)[] =>
  values.map((v) => (!Number.isFinite(v) || (logY && v <= 0) ? null : v))

/** uPlot's aligned data and series config for some runs: a line per run; a min..max band (drawn by bands.ts) where sampled. */
export function buildPlot(
  runs: ChartRun[],
  series: RunSeries[],
  opts: ViewOptions,
): {
  data: uPlot.AlignedData
  series: uPlot.Series[]
  bands: Band[]
  lineIndex: Map<string, number>
} {
  const tables: uPlot.AlignedData[] = []
  const config: uPlot.Series[] = [{}]
  const bands: Band[] = []
  const lineIndex = new Map<string, number>()
  let column = 1
  for (const run of runs) {
    const raw = series.find((s) => s.runId === run.id)
    if (!raw || raw.x.length === 0) continue
    const s = dedupe(raw)
    const line = clean(smooth(s.last, opts.smoothing), opts.logY)
    const points = opts.pointsOnly || s.x.length === 1
    config.push({
      label: run.name,
      stroke: run.color,
      width: s.sampled ? 1 : 1.5,
      spanGaps: true,
      points: { show: points, size: 5, fill: run.color },
      ...(opts.pointsOnly ? { paths: () => null } : {}),
    })
    lineIndex.set(run.id, column)
    tables.push([s.x, line] as uPlot.AlignedData)
    column += 1
    if (s.sampled && !opts.pointsOnly) {
      bands.push({ x: s.x, min: s.min, max: s.max, fill: withAlpha(run.color, 0.28) })
    }
  }
  const data =
    tables.length === 0
      ? ([[]] as unknown as uPlot.AlignedData)
      : tables.length === 1
        ? tables[0]!
        : uPlot.join(tables)
  return { data, series: config, bands, lineIndex }
}

/** Changes whenever <html data-theme> flips, so canvases redraw with the new theme's colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1))
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    })
    return () => observer.disconnect()
  }, [])
  return version
}

/** Tick spacings for whole-number axes: 1, 2, 5, 10, 20, 50, ... */
const INTEGER_INCRS = Array.from({ length: 16 }, (_, i) => [1, 2, 5].map((m) => m * 10 ** i)).flat()

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/**
 * A uPlot canvas. Drag-selecting an x range calls `onZoom` (the caller re-fetches finer data for
 * it); a double click calls `onResetZoom`; hovering reports the data index under the cursor.
 */
export function UplotView(props: {
  runs: ChartRun[]
  series: RunSeries[]
  options: ViewOptions
  onZoom: (range: [number, number]) => void
  onResetZoom: () => void
  onHover: (values: Map<string, number | null> | undefined, x: number | undefined) => void
}) {
  const { runs, series, options } = props
  const ref = useRef<HTMLDivElement>(null)
  const callbacks = useRef(props)
  callbacks.current = props
  const theme = useThemeVersion()
  // What the canvas shows of the runs: their ids and colours. Names (labels) arrive later on pages
  // that draw while the runs load; they are not drawn, so they do not rebuild the plot.
  const latestRuns = useRef(runs)
  latestRuns.current = runs
  const drawnRuns = runs.map((r) => `${r.id} ${r.color}`).join(',')
  // Built before the browser paints: the figure's first paint already has the drawn chart.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || options.width <= 0) return
    const built = buildPlot(latestRuns.current, series, options)
    const extent = bandExtent(built.bands, options.logY)
    const grid = cssVar('--border', '#ddd')
    const text = cssVar('--fg-muted', '#666')
    const axis = {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    }
    const plot = new uPlot(
      {
        width: options.width,
        height: options.height,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
        scales: {
          x: {
            time: options.time,
            ...(options.range
              ? { range: (): uPlot.Range.MinMax => [options.range![0], options.range![1]] }
              : {}),
          },
          // uPlot's default y range, widened to the bands (they are not series).
          y: {
            ...(options.logY ? { distr: 3, log: 10 } : {}),
            range: (_u, dataMin, dataMax): uPlot.Range.MinMax => {
              const lo = extent ? Math.min(dataMin ?? extent[0], extent[0]) : dataMin
              const hi = extent ? Math.max(dataMax ?? extent[1], extent[1]) : dataMax
              if (lo === null || hi === null) return [null, null]
              return options.logY ? uPlot.rangeLog(lo, hi, 10, false) : uPlot.rangeNum(lo, hi, 0.1, true)
            },
          },
        },
        axes: [
          {
            ...axis,
            label: options.xLabel,
            labelSize: 18,
            size: 36,
            ...(options.integerX ? { incrs: INTEGER_INCRS } : {}),
          },
          { ...axis, size: 56 },
        ],
        series: built.series,
        hooks: {
          // After the grid, before the lines.
          drawAxes: [(u) => drawBands(u, built.bands, options.logY)],
          setSelect: [
            (u) => {
              if (u.select.width > 4) {
                const lo = u.posToVal(u.select.left, 'x')
                const hi = u.posToVal(u.select.left + u.select.width, 'x')
                callbacks.current.onZoom([lo, hi])
              }
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            },
          ],
          setCursor: [
            (u) => {
              const idx = u.cursor.idx
              if (idx === null || idx === undefined)
                return callbacks.current.onHover(undefined, undefined)
              const values = new Map<string, number | null>()
              for (const [runId, col] of built.lineIndex)
                values.set(runId, (u.data[col]?.[idx] as number | null | undefined) ?? null)
              callbacks.current.onHover(values, u.data[0][idx])
            },
          ],
        },
      },
      built.data,
      el,
    )
    const reset = (): void => callbacks.current.onResetZoom()
    plot.over.addEventListener('dblclick', reset)
    return () => {
      plot.over.removeEventListener('dblclick', reset)
      plot.destroy()
    }
  }, [drawnRuns, series, options, theme])
  return <div ref={ref} className="uplot-host" />
}
