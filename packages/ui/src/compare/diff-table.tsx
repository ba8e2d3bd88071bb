import { formatNumber } from '../components/format.ts'
import { Link } from '../router.tsx'
import type { ChartRun } from '../charts/series.ts'
import { differs, type Column } from './compare-data.ts'

function cell(column: Column, runId: string): string {
  const v = column.values.get(runId)
  if (v === undefined) return '—'
  return typeof v === 'number' ? formatNumber(v) : v
}

/** Rows = params and metrics (last values), columns = runs; rows whose values differ are marked. */
export function DiffTable({
  runs,
  columns,
  onlyDiff,
}: {
  runs: ChartRun[]
  columns: Column[]
  onlyDiff: boolean
}) {
  const ids = runs.map((r) => r.id)
  const rows = columns
    .map((c) => ({ column: c, diff: differs(c, ids) }))
    .filter((r) => !onlyDiff || r.diff)
  const section = (kind: Column['kind'], title: string) => {
    const part = rows.filter((r) => r.column.kind === kind)
    return (
      <tbody key={kind}>
        <tr className="section-row">
          <th colSpan={ids.length + 1}>
            {title} <span className="muted">({part.length})</span>
          </th>
        </tr>
        {part.map(({ column, diff }) => (
          <tr key={column.id} className={diff ? 'differs' : undefined} data-key={column.id}>
            <td className="mono key-cell">{column.key}</td>
            {ids.map((id) => (
              <td
                key={id}
                className={`mono${typeof column.values.get(id) === 'number' || column.numeric ? ' num' : ''}`}
              >
                {cell(column, id)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    )
  }
  return (
    <div className="diff-scroll">
      <table className="grid diff-table">
        <thead>
          <tr>
            <th>Key</th>
            {runs.map((r) => (
              <th key={r.id}>
                <span className="swatch" style={{ background: r.color }} />{' '}
                <Link to={`/runs/${r.id}`}>{r.name}</Link>
              </th>
            ))}
          </tr>
        </thead>
        {section('param', 'Parameters')}
        {section('metric', 'Metrics (last value)')}
      </table>
    </div>
  )
}
