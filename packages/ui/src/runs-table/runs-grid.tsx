import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useId, useRef, type KeyboardEvent } from 'react'
import { columnLabel, orderByFor, type Column } from './columns.ts'
import type { DisplayRow } from './display-rows.ts'
import { GridRow, ROW_HEIGHT, columnWidth } from './grid-row.tsx'

const HEADER_HEIGHT = 34

export interface RunsGridProps {
  rows: DisplayRow[]
  /** Lines not loaded yet (drawn as placeholders so the scrollbar spans every matching run). */
  pending: number
  columns: Column[]
  chosen: ReadonlySet<string>
  sort: Column
  dir: 'asc' | 'desc'
  selected: ReadonlySet<string>
  allSelected: boolean
  active: number
  groupLabel: string
  busy: boolean
  setActive: (index: number) => void
  onSort: (col: Column) => void
  onRemoveColumn: (col: Column) => void
  onSelect: (index: number, shift: boolean) => void
  onSelectAll: () => void
  onToggleExpand: (row: DisplayRow) => void
  onOpen: (row: DisplayRow) => void
  /** Shown inside the grid when it has no lines (e.g. "No runs match."). */
  empty?: string
  /** The last line drawn: the page fetches more when it nears the loaded end. */
  onVisibleEnd: (index: number) => void
}

/**
 * The runs grid (WAI-ARIA grid with an active descendant): a sticky header of sort buttons and
 * virtualised rows, so 100,000 runs cost the same DOM as 30. Up/Down/PageUp/PageDown/Home/End move
 * the active row, Space selects it, Enter opens it, Right/Left expand and collapse.
 */
export function RunsGrid(p: RunsGridProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const baseId = useId()
  const count = p.rows.length + p.pending
  // A new key function would make the virtualiser re-measure every one of `count` items.
  const rows = p.rows
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? `pending:${i}`, [rows])
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.length ? items[items.length - 1]!.index : 0
  useEffect(() => p.onVisibleEnd(lastIndex), [lastIndex, p.rows.length, p.onVisibleEnd])

  const width = 36 + p.columns.reduce((sum, c) => sum + columnWidth(c), 0)
  const move = (to: number): void => {
    if (count === 0) return
    const i = Math.max(0, Math.min(count - 1, to))
    p.setActive(i)
    virtualizer.scrollToIndex(i, { align: 'auto' })
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget) return
    const pageRows = Math.max(
      1,
      Math.floor(((scroller.current?.clientHeight ?? 600) - HEADER_HEIGHT) / ROW_HEIGHT) - 1,
    )
    const row = p.rows[p.active]
    switch (e.key) {
      case 'ArrowDown':
        move(p.active + 1)
        break
      case 'ArrowUp':
        move(p.active - 1)
        break
      case 'PageDown':
        move(p.active + pageRows)
        break
      case 'PageUp':
        move(p.active - pageRows)
        break
      case 'Home':
        move(0)
        break
      case 'End':
        move(count - 1)
        break
      case ' ':
        if (row?.kind === 'run') p.onSelect(p.active, e.shiftKey)
        else if (row?.kind === 'group') p.onToggleExpand(row)
        break
      case 'Enter':
        if (row) p.onOpen(row)
        break
      case 'ArrowRight':
        if (
          row &&
          ((row.kind === 'run' && row.expandable) || row.kind === 'group') &&
          !row.expanded
        )
          p.onToggleExpand(row)
        break
      case 'ArrowLeft':
        if (row && (row.kind === 'run' || row.kind === 'group') && row.expanded)
          p.onToggleExpand(row)
        break
      default:
        return
    }
    e.preventDefault()
  }
  const activeRow = p.rows[p.active]
  return (
    <div
      ref={scroller}
      className="runs-grid"
      role="grid"
      tabIndex={0}
      aria-label="Runs"
      aria-rowcount={count + 1}
      aria-colcount={p.columns.length + 1}
      aria-multiselectable
      aria-busy={p.busy}
      aria-activedescendant={activeRow ? `${baseId}-${p.active}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="grid-head" style={{ width, height: HEADER_HEIGHT }}>
        <div role="row" aria-rowindex={1} className="grid-row header">
          <div role="columnheader" className="cell check">
            <input
              type="checkbox"
              aria-label="Select all loaded runs"
              checked={p.allSelected}
              onChange={p.onSelectAll}
            />
          </div>
          {p.columns.map((col) => (
            <HeaderCell
              key={col.id}
              col={col}
              sort={p.sort}
              dir={p.dir}
              removable={p.chosen.has(col.id)}
              onSort={p.onSort}
              onRemove={p.onRemoveColumn}
            />
          ))}
        </div>
      </div>
      <div
        role="rowgroup"
        className="grid-body"
        style={{ width, height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const row = p.rows[item.index]
          const top = item.start - HEADER_HEIGHT
          if (!row) {
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                id={`${baseId}-${item.index}`}
                className={`grid-row pending${item.index === p.active ? ' active' : ''}`}
                style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
              >
                <div role="gridcell" className="cell muted">
                  Loading…
                </div>
              </div>
            )
          }
          return (
            <GridRow
              key={item.key}
              top={top}
              row={row}
              index={item.index}
              rowId={`${baseId}-${item.index}`}
              columns={p.columns}
              active={item.index === p.active}
              selected={row.kind === 'run' && p.selected.has(row.run.run_id)}
              groupLabel={p.groupLabel}
              onSelect={p.onSelect}
              onToggleExpand={p.onToggleExpand}
              onActivate={p.setActive}
            />
          )
        })}
      </div>
      {count === 0 && p.empty && <p className="grid-empty muted">{p.empty}</p>}
    </div>
  )
}

function HeaderCell({
  col,
  sort,
  dir,
  removable,
  onSort,
  onRemove,
}: {
  col: Column
  sort: Column
  dir: 'asc' | 'desc'
  removable: boolean
  onSort: (c: Column) => void
  onRemove: (c: Column) => void
}) {
  const sorted = sort.id === col.id
  const sortable = orderByFor(col, 'asc') !== undefined
  const label = columnLabel(col)
  const kind = col.kind === 'attribute' ? '' : col.kind
  return (
    <div
      role="columnheader"
      className={`cell ${col.kind === 'metric' ? 'num' : ''}`}
      style={{ width: columnWidth(col) }}
      aria-sort={sorted ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
      aria-label={col.kind === 'attribute' ? label : col.id}
      title={col.id}
    >
      {kind && (
        <span className={`kind ${kind}`} aria-hidden="true">
          {kind[0]}
        </span>
      )}
      {sortable ? (
        <button
          type="button"
          className="sort-button"
          aria-label={`Sort by ${col.id}`}
          onClick={() => onSort(col)}
        >
          {label}
          <span aria-hidden="true">{sorted ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      ) : (
        <span>{label}</span>
      )}
      {removable && (
        <button
          type="button"
          className="ghost remove-col"
          aria-label={`Remove column ${col.id}`}
          onClick={() => onRemove(col)}
        >
          ×
        </button>
      )}
    </div>
  )
}
