import { useEffect, useRef, useState } from 'react'
import { column, type Column } from './columns.ts'
import type { ExperimentKeys } from './types.ts'

const SHOWN = 200

/**
 * "Columns" button with a searchable popover listing every param, metric (last/min/max) and tag key
 * of the open experiments (GET logbook/experiments/keys). Ticking a box adds the column at the end.
 */
export function ColumnPicker({
  keys,
  columns,
  onChange,
}: {
  keys: ExperimentKeys
  columns: Column[]
  onChange: (next: Column[]) => void
}) {
  const [open, setOpen] = useState(false)
  const [search, setSearch] = useState('')
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  const chosen = new Set(columns.map((c) => c.id))
  const toggle = (col: Column): void =>
    onChange(chosen.has(col.id) ? columns.filter((c) => c.id !== col.id) : [...columns, col])
  const q = search.trim().toLowerCase()
  const match = (k: string): boolean => k.toLowerCase().includes(q)
  const metrics = (keys.metrics ?? []).filter(match)
  const params = (keys.params ?? []).filter(match)
  const tags = (keys.tags ?? []).filter(match)

  return (
    <div className="column-picker" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen((o) => !o)}
      >
        Columns{columns.length ? ` (${columns.length})` : ''}
      </button>
      {open && (
        <div
          className="popover"
          role="dialog"
          aria-label="Choose columns"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          <input
            type="search"
            autoFocus
            placeholder="Search keys"
            aria-label="Search column keys"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {columns.length > 0 && (
            <button type="button" className="ghost" onClick={() => onChange([])}>
              Remove all
            </button>
          )}
          <div className="picker-lists">
            <fieldset>
              <legend>Metrics ({metrics.length})</legend>
              {metrics.slice(0, SHOWN).map((k) => (
                <div key={k} className="picker-metric">
                  <span className="mono" title={k}>
                    {k}
                  </span>
                  {(['last', 'min', 'max'] as const).map((agg) => {
                    const col = column('metric', k, agg)
                    return (
                      <label key={agg}>
                        <input
                          type="checkbox"
                          aria-label={`metric ${k} ${agg}`}
                          checked={chosen.has(col.id)}
                          onChange={() => toggle(col)}
                        />
                        {agg}
                      </label>
                    )
                  })}
                </div>
              ))}
              {metrics.length > SHOWN && (
                <p className="muted">{metrics.length - SHOWN} more: refine the search</p>
              )}
            </fieldset>
            <KeyList legend="Params" kind="param" list={params} chosen={chosen} toggle={toggle} />
            <KeyList legend="Tags" kind="tag" list={tags} chosen={chosen} toggle={toggle} />
          </div>
        </div>
      )}
    </div>
  )
}

function KeyList({
  legend,
  kind,
  list,
  chosen,
  toggle,
}: {
  legend: string
  kind: 'param' | 'tag'
  list: string[]
  chosen: Set<string>
  toggle: (col: Column) => void
}) {
  return (
    <fieldset>
      <legend>
        {legend} ({list.length})
      </legend>
      {list.slice(0, SHOWN).map((k) => {
        const col = column(kind, k)
        return (
          <label key={k} className="picker-key">
            <input
              type="checkbox"
              aria-label={`${kind} ${k}`}
              checked={chosen.has(col.id)}
              onChange={() => toggle(col)}
            />
            <span className="mono">{k}</span>
          </label>
        )
      })}
      {list.length > SHOWN && (
        <p className="muted">{list.length - SHOWN} more: refine the search</p>
      )}
    </fieldset>
  )
}
