import { useState } from 'react'
import type { Column } from './compare-data.ts'

/** A collapsible checkbox list of columns with a filter box (runs can have hundreds of keys). */
export function ColumnChooser({
  columns,
  chosen,
  onChange,
}: {
  columns: Column[]
  chosen: string[]
  onChange: (ids: string[]) => void
}) {
  const [filter, setFilter] = useState('')
  const needle = filter.trim().toLowerCase()
  const shown = columns.filter((c) => !needle || c.id.toLowerCase().includes(needle)).slice(0, 300)
  return (
    <details className="column-chooser">
      <summary>
        Axes ({chosen.length} of {columns.length})
      </summary>
      <div className="chooser-body">
        <input
          type="search"
          placeholder="Filter columns"
          aria-label="Filter columns"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {shown.map((c) => (
          <label key={c.id} className="chooser-row">
            <input
              type="checkbox"
              aria-label={`Axis ${c.id}`}
              checked={chosen.includes(c.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))
              }
            />{' '}
            <span className="mono">{c.id}</span>
          </label>
        ))}
      </div>
    </details>
  )
}
