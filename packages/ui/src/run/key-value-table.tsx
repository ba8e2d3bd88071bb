import { useMemo, useState } from 'react'
import type { WireKeyValue } from './types.ts'

const PAGE = 200

/** A sorted key/value table with a filter box once it grows past a screenful. */
export function KeyValueTable({ rows, label }: { rows: WireKeyValue[]; label: string }) {
  const [filter, setFilter] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const sorted = useMemo(() => [...rows].sort((a, b) => a.key.localeCompare(b.key)), [rows])
  const needle = filter.trim().toLowerCase()
  const shown = needle
    ? sorted.filter(
        (r) => r.key.toLowerCase().includes(needle) || r.value.toLowerCase().includes(needle),
      )
    : sorted
  if (rows.length === 0) return <p className="muted">No {label}.</p>
  return (
    <div>
      {rows.length > 10 && (
        <input
          className="table-filter"
          type="search"
          placeholder={`Filter ${label}`}
          aria-label={`Filter ${label}`}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      <div className="table-scroll">
        <table className="grid kv">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, limit).map((r) => (
              <tr key={r.key}>
                <td className="mono">{r.key}</td>
                <td className="mono wrap">{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length > limit && (
        <button type="button" className="ghost" onClick={() => setLimit(limit + PAGE)}>
          Show more ({shown.length - limit} hidden)
        </button>
      )}
    </div>
  )
}
