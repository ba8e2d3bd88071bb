import { useMemo } from 'react'
import { useTitle } from '../components/use-title.ts'
import { ChartControls, settingsFromQuery, settingsToQuery } from '../charts/chart-controls.tsx'
import { ChartGrid } from '../charts/chart-grid.tsx'
import { MetricPicker } from '../charts/metric-picker.tsx'
import { queryList, useUrlRuns } from '../charts/use-url-runs.ts'
import { Link, setQuery, useLocation } from '../router.tsx'


/** /charts?runs=a,b&metrics=loss,acc&x=step|time|relative|metric:<key>&smooth=0.6&log=1 */
export function ChartsPage() {
  useTitle('Charts')
  const { query } = useLocation()
  const runIds = queryList(query.get('runs'))
  const chosen = queryList(query.get('metrics'))
  const settings = settingsFromQuery(query)
  const { loaded, runs } = useUrlRuns(runIds)
  // Until the runs are loaded, the metrics named in the URL are the only keys known: their charts
  // fetch at once, next to the runs (names and the other keys follow).
  const keys = useMemo(() => {
    const all = new Set<string>(loaded.data ? [] : chosen)
    for (const run of loaded.data ?? []) for (const m of run.data.metrics ?? []) all.add(m.key)
    return [...all].sort((a, b) => a.localeCompare(b))
  }, [loaded.data, chosen.join(',')])
  const removeRun = (id: string): void =>
    setQuery({ runs: runIds.filter((r) => r !== id).join(',') || undefined }, { replace: false })
  return (
    <main className="page charts-page">
      <h1>Charts</h1>
      {runIds.length === 0 ? (
        <p className="muted">
          No runs selected. Pick runs in an <Link to="/experiments">experiment</Link> and open them
          in charts, or add
          <code> ?runs=&lt;id&gt;,&lt;id&gt;</code> to the address.
        </p>
      ) : loaded.error ? (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      ) : !loaded.data && chosen.length === 0 ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="toolbar run-chips" aria-label="Runs">
            {runs.map((r) => (
              <span key={r.id} className="chip">
                <span className="swatch" style={{ background: r.color }} />
                <Link to={`/runs/${r.id}`}>{r.name}</Link>
                <button
                  type="button"
                  className="ghost chip-x"
                  aria-label={`Remove run ${r.name}`}
                  onClick={() => removeRun(r.id)}
                >
                  ×
                </button>
              </span>
            ))}
            {runIds.length > 1 && (
              <Link className="button" to={`/compare?runs=${runIds.join(',')}`}>
                Compare
              </Link>
            )}
          </div>
          <MetricPicker
            keys={keys}
            chosen={chosen}
            onChange={(k) => setQuery({ metrics: k.join(',') || undefined }, { replace: false })}
          />
          <ChartControls
            settings={settings}
            metricKeys={keys}
            onChange={(s) => setQuery(settingsToQuery(s))}
          />
          <ChartGrid runs={runs} keys={chosen.length > 0 ? chosen : keys} settings={settings} />
        </>
      )}
    </main>
  )
}
