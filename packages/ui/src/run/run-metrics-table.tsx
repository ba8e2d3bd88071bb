import { useMemo, useState } from 'react'
import { logbook, useLoad } from '../api.ts'
import { formatNumber, formatTime, type WireNumber } from '../components/format.ts'
import { Link } from '../router.tsx'
import type { WireRun } from './types.ts'

const PAGE = 100

interface TableRow {
  run_id: string
  metrics: Record<
    string,
    { last: WireNumber; min: WireNumber; max: WireNumber; step: number; timestamp: number }
  >
}

/**
 * Last value (from the run), min and max over the whole history (from Logbook's runs/table, asked
 * only for the keys on screen so a run with thousands of keys stays cheap).
 */
export function RunMetricsTable({ run }: { run: WireRun }) {
  const [filter, setFilter] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const metrics = useMemo(
    () => [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key)),
    [run],
  )
  const needle = filter.trim().toLowerCase()
  const shown = (
    needle ? metrics.filter((m) => m.key.toLowerCase().includes(needle)) : metrics
  ).slice(0, limit)
  const keys = shown.map((m) => m.key)
  const keyList = keys.join('\u0000')
  const ranges = useLoad(
    async (signal) => {
      if (keys.length === 0) return undefined
      const res = await logbook.post<{ runs: TableRow[] }>(
        'runs/table',
        {
          experiment_ids: [run.info.experiment_id],
          filter: `attributes.run_id = '${run.info.run_id}'`,
          run_view_type: 'ALL',
          max_results: 1,
          columns: { metrics: keys },
        },
        signal,
      )
      return res.runs[0]?.metrics
    },
    [run.info.run_id, keyList, run.data.metrics?.length],
  )
  if (metrics.length === 0) return <p className="muted">No metrics.</p>
  const filterMatches = needle
    ? metrics.filter((m) => m.key.toLowerCase().includes(needle)).length
    : metrics.length
  return (
    <div>
      {metrics.length > 10 && (
        <input
          className="table-filter"
          type="search"
          placeholder="Filter metrics"
          aria-label="Filter metrics"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {ranges.error && <p className="error">Min/max unavailable: {ranges.error.message}</p>}
      <div className="table-scroll">
        <table className="grid metrics-table">
          <thead>
            <tr>
              <th>Metric</th>
              <th className="num">Last</th>
              <th className="num">Min</th>
              <th className="num">Max</th>
              <th className="num">Step</th>
              <th>Logged</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => {
              const range = ranges.data?.[m.key]
              return (
                <tr key={m.key}>
                  <td className="mono">
                    <Link
                      to={`/charts?runs=${run.info.run_id}&metrics=${encodeURIComponent(m.key)}`}
                    >
                      {m.key}
                    </Link>
                  </td>
                  <td className="num">{formatNumber(m.value)}</td>
                  <td className="num">{range ? formatNumber(range.min) : ''}</td>
                  <td className="num">{range ? formatNumber(range.max) : ''}</td>
                  <td className="num">{m.step ?? 0}</td>
                  <td className="muted">{formatTime(m.timestamp)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {filterMatches > limit && (
        <button type="button" className="ghost" onClick={() => setLimit(limit + PAGE)}>
          Show more ({filterMatches - limit} hidden)
        </button>
      )}
    </div>
  )
}
