import { formatNumber } from '../components/format.ts'
import type { ChartRun } from '../charts/series.ts'
import { niceTicks, numericValue, scale, type Column } from './compare-data.ts'

const W = 640
const H = 400
const LEFT = 70
const RIGHT = W - 20
const TOP = 20
const BOTTOM = H - 50

/** Padded domain so points do not sit on the frame. */
function domain(values: number[]): [number, number] {
  const min = Math.min(...values)
  const max = Math.max(...values)
  const pad = min === max ? Math.abs(min) * 0.1 || 1 : (max - min) * 0.08
  return [min - pad, max + pad]
}

/** Runs as points of two numeric columns (params or metrics' last values). */
export function ScatterPlot({ runs, x, y }: { runs: ChartRun[]; x: Column; y: Column }) {
  const points = runs
    .map((r) => ({ run: r, x: numericValue(x, r.id), y: numericValue(y, r.id) }))
    .filter(
      (p): p is { run: ChartRun; x: number; y: number } => p.x !== undefined && p.y !== undefined,
    )
  if (points.length === 0) return <p className="muted">No run has both values.</p>
  const [x0, x1] = domain(points.map((p) => p.x))
  const [y0, y1] = domain(points.map((p) => p.y))
  const sx = scale(x0, x1, LEFT, RIGHT)
  const sy = scale(y0, y1, BOTTOM, TOP)
  return (
    <svg
      className="scatter-plot"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Scatter of ${y.key} against ${x.key}`}
    >
      <rect className="sp-frame" x={LEFT} y={TOP} width={RIGHT - LEFT} height={BOTTOM - TOP} />
      {niceTicks(x0, x1, 6).map((t) => (
        <g key={`x${t}`} className="sp-tick">
          <line x1={sx(t)} x2={sx(t)} y1={TOP} y2={BOTTOM} />
          <text x={sx(t)} y={BOTTOM + 16} textAnchor="middle">
            {formatNumber(t, 3)}
          </text>
        </g>
      ))}
      {niceTicks(y0, y1, 5).map((t) => (
        <g key={`y${t}`} className="sp-tick">
          <line x1={LEFT} x2={RIGHT} y1={sy(t)} y2={sy(t)} />
          <text x={LEFT - 6} y={sy(t) + 4} textAnchor="end">
            {formatNumber(t, 3)}
          </text>
        </g>
      ))}
      <text className="sp-label" x={(LEFT + RIGHT) / 2} y={H - 10} textAnchor="middle">
        {x.id}
      </text>
      <text
        className="sp-label"
        x={16}
        y={(TOP + BOTTOM) / 2}
        textAnchor="middle"
        transform={`rotate(-90 16 ${(TOP + BOTTOM) / 2})`}
      >
        {y.id}
      </text>
      {points.map((p) => (
        <circle
          key={p.run.id}
          className="sp-point"
          data-run={p.run.id}
          cx={sx(p.x)}
          cy={sy(p.y)}
          r={6}
          fill={p.run.color}
        >
          <title>{`${p.run.name}: ${x.key}=${formatNumber(p.x)}, ${y.key}=${formatNumber(p.y)}`}</title>
        </circle>
      ))}
    </svg>
  )
}
