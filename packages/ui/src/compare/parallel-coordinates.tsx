import { useState } from 'react'
import { formatNumber } from '../components/format.ts'
import type { ChartRun } from '../charts/series.ts'
import { niceTicks, numericValue, scale, type Column } from './compare-data.ts'

const W = 1000
const H = 340
const TOP = 46
const BOTTOM = H - 24
const SIDE = 70

/** Long keys would run into the next axis: keep the tail (the most specific part). */
function shorten(key: string, max: number): string {
  return key.length <= max ? key : `…${key.slice(key.length - max + 1)}`
}

/** One vertical axis: numbers on a linear scale, anything else as evenly spaced categories. */
interface Axis {
  column: Column
  x: number
  y: (runId: string) => number | undefined
  ticks: { y: number; label: string }[]
}

function buildAxis(column: Column, x: number, runIds: string[]): Axis {
  if (column.numeric) {
    const values = runIds
      .map((id) => numericValue(column, id))
      .filter((v): v is number => v !== undefined)
    const min = Math.min(...values)
    const max = Math.max(...values)
    const toY = scale(min, max, BOTTOM, TOP)
    const ticks =
      values.length === 0
        ? []
        : niceTicks(min, max, 4).map((t) => ({ y: toY(t), label: formatNumber(t, 3) }))
    return {
      column,
      x,
      ticks,
      y: (id) =>
        numericValue(column, id) === undefined ? undefined : toY(numericValue(column, id)!),
    }
  }
  const categories = [
    ...new Set(
      runIds
        .map((id) => column.values.get(id))
        .filter((v) => v !== undefined)
        .map(String),
    ),
  ].sort()
  const toY = (i: number): number =>
    categories.length === 1
      ? (TOP + BOTTOM) / 2
      : TOP + (i / (categories.length - 1)) * (BOTTOM - TOP)
  return {
    column,
    x,
    ticks: categories.map((c, i) => ({ y: toY(i), label: c })),
    y: (id) => {
      const v = column.values.get(id)
      return v === undefined ? undefined : toY(categories.indexOf(String(v)))
    },
  }
}

/** Parallel coordinates over the chosen columns: one polyline per run, hover to highlight it. */
export function ParallelCoordinates({ runs, columns }: { runs: ChartRun[]; columns: Column[] }) {
  const [hover, setHover] = useState<string>()
  if (columns.length < 2) return <p className="muted">Choose at least two columns.</p>
  const ids = runs.map((r) => r.id)
  const step = (W - 2 * SIDE) / (columns.length - 1)
  const axes = columns.map((c, i) => buildAxis(c, SIDE + i * step, ids))
  return (
    <svg
      className="parallel-coordinates"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Parallel coordinates"
    >
      {axes.map((axis) => (
        <g key={axis.column.id} className="pc-axis">
          <line x1={axis.x} x2={axis.x} y1={TOP} y2={BOTTOM} />
          <g>
            <title>{axis.column.id}</title>
            <text className="pc-label" x={axis.x} y={TOP - 26} textAnchor="middle">
              {shorten(axis.column.key, Math.max(8, Math.floor(step / 9)))}
            </text>
          </g>
          <text className="pc-kind" x={axis.x} y={TOP - 12} textAnchor="middle">
            {axis.column.kind}
          </text>
          {axis.ticks.map((t) => (
            <g key={`${t.label}-${t.y}`}>
              <line x1={axis.x - 4} x2={axis.x} y1={t.y} y2={t.y} />
              <text className="pc-tick" x={axis.x - 7} y={t.y + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
        </g>
      ))}
      {runs.map((run) => {
        const segments: string[] = []
        let path = ''
        for (const axis of axes) {
          const y = axis.y(run.id)
          if (y === undefined) {
            if (path) segments.push(path)
            path = ''
            continue
          }
          path += `${path ? ' L' : 'M'}${axis.x.toFixed(1)},${y.toFixed(1)}`
        }
        if (path) segments.push(path)
        const faded = hover !== undefined && hover !== run.id
        return (
          <path
            key={run.id}
            className="pc-line"
            data-run={run.id}
            d={segments.join(' ')}
            stroke={run.color}
            strokeOpacity={faded ? 0.15 : 0.9}
            strokeWidth={hover === run.id ? 3.5 : 2}
            fill="none"
            onMouseEnter={() => setHover(run.id)}
            onMouseLeave={() => setHover(undefined)}
          >
            <title>{run.name}</title>
          </path>
        )
      })}
    </svg>
  )
}
