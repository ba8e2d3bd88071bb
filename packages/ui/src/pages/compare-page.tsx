import { useMemo } from 'react'
import { useTitle } from '../components/use-title.ts'
import { queryList, useUrlRuns } from '../charts/use-url-runs.ts'
import { ColumnChooser } from '../compare/column-chooser.tsx'
import { buildColumns, differs, type Column } from '../compare/compare-data.ts'
import { DiffTable } from '../compare/diff-table.tsx'
import { ParallelCoordinates } from '../compare/parallel-coordinates.tsx'
import { ScatterPlot } from '../compare/scatter-plot.tsx'
import '../compare/compare.css'
import { Link, setQuery, useLocation } from '../router.tsx'


/** Columns that vary across the runs first: they are what a comparison is about. */
function defaultAxes(columns: Column[], ids: string[]): string[] {
  const varying = columns.filter((c) => differs(c, ids))
  const params = varying.filter((c) => c.kind === 'param').slice(0, 4)
  // System metrics (cpu, memory) rarely explain a result; model metrics first.
  const metrics = (varying.some((c) => c.kind === 'metric') ? varying : columns)
    .filter((c) => c.kind === 'metric')
    .sort((a, b) => Number(a.key.startsWith('system/')) - Number(b.key.startsWith('system/')))
    .slice(0, 3)
  return [...params, ...metrics].map((c) => c.id)
}

/** One scatter axis chooser; the choice lives in the URL under `axis`. */
function AxisSelect({
  axis,
  label,
  value,
  columns,
}: {
  axis: 'sx' | 'sy'
  label: string
  value: string
  columns: Column[]
}) {
  return (
    <label>
      {label}{' '}
      <select
        aria-label={`Scatter ${label}`}
        value={value}
        onChange={(e) => setQuery({ [axis]: e.target.value })}
      >
        {columns.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id}
          </option>
        ))}
      </select>
    </label>
  )
}

/** /compare?runs=a,b,c[&diff=1][&axes=params.lr,metrics.loss][&sx=..&sy=..] */
export function ComparePage() {
  useTitle('Compare runs')
  const { query } = useLocation()
  const runIds = queryList(query.get('runs'))
  const onlyDiff = query.get('diff') === '1'
  const { loaded, runs } = useUrlRuns(runIds)
  const columns = useMemo(() => buildColumns(loaded.data ?? []), [loaded.data])
  const ids = runs.map((r) => r.id)
  const axes = query.has('axes') ? queryList(query.get('axes')) : defaultAxes(columns, ids)
  const axisColumns = axes
    .map((id) => columns.find((c) => c.id === id))
    .filter((c): c is Column => c !== undefined)
  const numeric = columns.filter((c) => c.numeric)
  const sx =
    numeric.find((c) => c.id === query.get('sx')) ??
    numeric.find((c) => c.kind === 'param' && differs(c, ids)) ??
    numeric[0]
  const sy =
    numeric.find((c) => c.id === query.get('sy')) ??
    numeric.find((c) => c.kind === 'metric' && !c.key.startsWith('system/')) ??
    numeric[1]
  if (runIds.length === 0) {
    return (
      <main className="page">
        <h1>Compare runs</h1>
        <p className="muted">
          No runs selected. Select runs in an <Link to="/experiments">experiment</Link> and compare
          them, or add <code>?runs=&lt;id&gt;,&lt;id&gt;</code>.
        </p>
      </main>
    )
  }
  return (
    <main className="page compare-page">
      <h1>
        Compare {runIds.length} {runIds.length === 1 ? 'run' : 'runs'}
      </h1>
      {loaded.error && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      {!loaded.data ? (
        !loaded.error && <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="toolbar">
            <label>
              <input
                type="checkbox"
                checked={onlyDiff}
                onChange={(e) => setQuery({ diff: e.target.checked ? '1' : undefined })}
              />{' '}
              Only differences
            </label>
            <Link className="button" to={`/charts?runs=${ids.join(',')}`}>
              Open in charts
            </Link>
          </div>
          <section aria-labelledby="cmp-diff">
            <h2 id="cmp-diff">Parameters and metrics</h2>
            <DiffTable runs={runs} columns={columns} onlyDiff={onlyDiff} />
          </section>
          <section aria-labelledby="cmp-pc">
            <h2 id="cmp-pc">Parallel coordinates</h2>
            <ColumnChooser
              columns={columns}
              chosen={axes}
              onChange={(next) => setQuery({ axes: next.join(',') || ',' })}
            />
            <ParallelCoordinates runs={runs} columns={axisColumns} />
          </section>
          <section aria-labelledby="cmp-scatter">
            <h2 id="cmp-scatter">Scatter</h2>
            {!sx || !sy ? (
              <p className="muted">Needs two numeric columns.</p>
            ) : (
              <>
                <div className="toolbar">
                  <AxisSelect axis="sx" label="X" value={sx.id} columns={numeric} />
                  <AxisSelect axis="sy" label="Y" value={sy.id} columns={numeric} />
                </div>
                <ScatterPlot runs={runs} x={sx} y={sy} />
              </>
            )}
          </section>
        </>
      )}
    </main>
  )
}
