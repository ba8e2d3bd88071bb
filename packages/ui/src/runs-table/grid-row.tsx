import { memo, type MouseEvent } from 'react'
import { formatNumber } from '../components/format.ts'
import { Link } from '../router.tsx'
import { cellText, columnLabel, type Column } from './columns.ts'
import type { DisplayRow } from './display-rows.ts'

export const ROW_HEIGHT = 32

/** Width of a column in pixels (the grid is a fixed layout so virtualised rows line up). */
export function columnWidth(col: Column): number {
  // Keys: room for the label, the kind badge and the remove button, within bounds.
  if (col.kind !== 'attribute')
    return Math.round(Math.min(280, Math.max(110, 80 + 8 * columnLabel(col).length)))
  switch (col.key) {
    case 'run_name':
      return 280
    case 'start_time':
      return 178
    case 'status':
      return 100
    case 'duration':
      return 90
    case 'run_id':
      return 280
    default:
      return 110
  }
}

export interface RowProps {
  row: DisplayRow
  index: number
  /** Offset of the row inside the grid body, in pixels. */
  top: number
  columns: Column[]
  active: boolean
  selected: boolean
  rowId: string
  groupLabel: string
  onSelect: (index: number, shift: boolean) => void
  onToggleExpand: (row: DisplayRow) => void
  onActivate: (index: number) => void
}

/** One line of the grid: a run, a group header with aggregates, or a note (memoised: rows only re-render when their own props change). */
export const GridRow = memo(function GridRow({
  row,
  index,
  top,
  columns,
  active,
  selected,
  rowId,
  groupLabel,
  onSelect,
  onToggleExpand,
  onActivate,
}: RowProps) {
  const className = [
    'grid-row',
    row.kind,
    active ? 'active' : '',
    selected ? 'selected' : '',
    row.kind === 'run' && row.run.lifecycle_stage === 'deleted' ? 'deleted' : '',
  ]
    .filter(Boolean)
    .join(' ')
  const common = {
    id: rowId,
    role: 'row',
    className,
    'aria-rowindex': index + 2,
    style: { transform: `translateY(${top}px)`, height: ROW_HEIGHT },
    onMouseDown: () => onActivate(index),
  }
  if (row.kind === 'note') {
    return (
      <div {...common}>
        <div role="gridcell" className="cell note" style={{ paddingLeft: 36 + 16 * row.depth + 8 }}>
          <span className="muted">{row.text}</span>
          {row.action && (
            <button type="button" className="ghost link-button" onClick={row.action.onClick}>
              {row.action.label}
            </button>
          )}
        </div>
      </div>
    )
  }
  if (row.kind === 'group') {
    const g = row.group
    return (
      <div {...common} aria-expanded={row.expanded}>
        <div role="gridcell" className="cell check" />
        {columns.map((col, i) =>
          i === 0 ? (
            <div key={col.id} role="gridcell" className="cell" style={{ width: columnWidth(col) }}>
              <button
                type="button"
                className="expander"
                aria-label={`${row.expanded ? 'Collapse' : 'Expand'} group ${groupLabel} = ${g.value ?? '(none)'}`}
                onClick={() => onToggleExpand(row)}
              >
                {row.expanded ? '▾' : '▸'}
              </button>
              <span className="group-value">
                {groupLabel} = <strong>{g.value ?? <em>(none)</em>}</strong>
              </span>{' '}
              <span className="badge">{g.count}</span>
            </div>
          ) : (
            <div
              key={col.id}
              role="gridcell"
              className="cell num"
              style={{ width: columnWidth(col) }}
            >
              {col.kind === 'metric' && col.agg === 'last' && g.metrics?.[col.key] ? (
                <Aggregate a={g.metrics[col.key]!} />
              ) : null}
            </div>
          ),
        )}
      </div>
    )
  }
  const run = row.run
  const onCheck = (e: MouseEvent<HTMLInputElement>): void => {
    e.stopPropagation()
    onSelect(index, e.shiftKey)
  }
  return (
    <div
      {...common}
      aria-selected={selected}
      aria-expanded={row.expandable ? row.expanded : undefined}
    >
      <div role="gridcell" className="cell check">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select run ${run.run_name || run.run_id}`}
          checked={selected}
          onClick={onCheck}
          onChange={() => undefined}
        />
      </div>
      {columns.map((col) => {
        if (col.kind === 'attribute' && col.key === 'run_name') {
          return (
            <div
              key={col.id}
              role="gridcell"
              className="cell name"
              style={{ width: columnWidth(col), paddingLeft: 6 + 16 * row.depth }}
            >
              {row.expandable ? (
                <button
                  type="button"
                  tabIndex={-1}
                  className="expander"
                  aria-label={`${row.expanded ? 'Collapse' : 'Expand'} child runs of ${run.run_name}`}
                  onClick={() => onToggleExpand(row)}
                >
                  {row.expanded ? '▾' : '▸'}
                </button>
              ) : (
                <span className="expander-space" />
              )}
              <Link to={`/runs/${run.run_id}`} title={run.run_id}>
                {run.run_name || run.run_id.slice(0, 8)}
              </Link>
              {row.expandable && <span className="muted child-count"> ({run.child_count})</span>}
              {run.lifecycle_stage === 'deleted' && <span className="badge FAILED">deleted</span>}
            </div>
          )
        }
        if (col.kind === 'attribute' && col.key === 'status') {
          return (
            <div key={col.id} role="gridcell" className="cell" style={{ width: columnWidth(col) }}>
              <span className={`badge ${run.status}`}>{run.status}</span>
            </div>
          )
        }
        const text = cellText(run, col)
        return (
          <div
            key={col.id}
            role="gridcell"
            className={col.kind === 'metric' ? 'cell num' : 'cell'}
            style={{ width: columnWidth(col) }}
            title={text}
          >
            {text}
          </div>
        )
      })}
    </div>
  )
})

function Aggregate({ a }: { a: { mean: unknown; min: unknown; max: unknown } }) {
  const f = (v: unknown): string => formatNumber(v as number, 4)
  return (
    <span className="aggregate" title={`mean ${f(a.mean)}, min ${f(a.min)}, max ${f(a.max)}`}>
      {f(a.mean)}{' '}
      <span className="muted">
        [{f(a.min)}–{f(a.max)}]
      </span>
    </span>
  )
}
