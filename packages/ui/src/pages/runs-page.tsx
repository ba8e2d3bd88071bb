import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTitle } from '../components/use-title.ts'
import { useStableCallback } from '../components/use-stable-callback.ts'
import { ColumnPicker } from '../runs-table/column-picker.tsx'
import type { Column } from '../runs-table/columns.ts'
import { downloadText, runsToCsv } from '../runs-table/bulk.ts'
import type { DisplayRow } from '../runs-table/display-rows.ts'
import { FilterBox } from '../runs-table/filter-box.tsx'
import { RunsGrid } from '../runs-table/runs-grid.tsx'
import { SelectionBar } from '../runs-table/selection-bar.tsx'
import { MAX_PAGE_SIZE } from '../runs-table/use-run-pages.ts'
import type { RunGroup, TableRun } from '../runs-table/types.ts'
import { groupFilter, useRunsView } from '../runs-table/use-runs-view.ts'
import { andFilters, colsQuery, defaultColumns, fixedColumns, readViewState } from '../runs-table/view-state.ts'
import { Link, navigate, setQuery, useLocation } from '../router.tsx'
import '../runs-table/runs-table.css'

/**
 * The runs table of one or several experiments (/experiments/1,4). Filter, sort, columns, grouping,
 * deleted runs and nesting live in the URL query, so a link reproduces the view.
 */
export function RunsPage({ experimentIds }: { experimentIds: string[] }) {
  const { query } = useLocation()
  const view = readViewState(query)
  const filterRef = useRef<HTMLInputElement>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [active, setActive] = useState(0)
  const [notice, setNotice] = useState<string>()
  const anchor = useRef<number | undefined>(undefined)

  const openAsFilter = useCallback(
    (g: RunGroup) => {
      if (!view.group) return
      setQuery({
        filter: andFilters(view.filter, groupFilter(view.group, g.value)),
        group: undefined,
      })
    },
    [view.filter, view.group?.id],
  )
  const data = useRunsView(experimentIds, view, openAsFilter)
  const several = experimentIds.length > 1
  useTitle(
    data.experimentError
      ? 'Experiment not found'
      : `${data.names.length ? data.names.map((e) => e.name).join(', ') : experimentIds.join(', ')} · Runs`,
  )
  // A view without `cols` gets the first metrics and params as columns once the keys are known.
  useEffect(() => {
    if (!view.columnsChosen && data.keysSettled) setQuery({ cols: colsQuery(defaultColumns(data.keys)) })
  }, [view.columnsChosen, data.keysSettled])
  const colsParam = query.get('cols')
  // Stable while the view's columns are, so memoised rows skip re-rendering.
  const columns = useMemo(() => [...fixedColumns(several), ...view.columns], [several, colsParam])
  const viewKey = query.toString()
  useEffect(() => {
    setActive(0)
    anchor.current = undefined
  }, [viewKey])

  // "/" focuses the filter box from anywhere outside a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement
      if (
        e.key !== '/' ||
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        t.closest('input, textarea, select, [contenteditable]')
      )
        return
      e.preventDefault()
      filterRef.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  const runAt = (i: number): TableRun | undefined => {
    const row = data.rows[i]
    return row?.kind === 'run' ? row.run : undefined
  }
  const onSelect = useStableCallback((index: number, shift: boolean): void => {
    const run = runAt(index)
    if (!run) return
    const next = new Set(selected)
    if (shift && anchor.current !== undefined) {
      const [from, to] = anchor.current < index ? [anchor.current, index] : [index, anchor.current]
      for (let i = from; i <= to; i++) {
        const r = runAt(i)
        if (r) next.add(r.run_id)
      }
    } else if (next.has(run.run_id)) next.delete(run.run_id)
    else next.add(run.run_id)
    anchor.current = index
    setActive(index)
    setSelected(next)
  })
  const loadedRuns = data.rows.flatMap((r) => (r.kind === 'run' ? [r.run] : []))
  const allSelected = loadedRuns.length > 0 && loadedRuns.every((r) => selected.has(r.run_id))
  const selectedIds = loadedRuns.filter((r) => selected.has(r.run_id)).map((r) => r.run_id)
  const onToggleExpand = useStableCallback((row: DisplayRow): void => {
    if (row.kind === 'run' && row.expandable) data.branches.toggle(row.run.run_id)
    else if (row.kind === 'group') data.branches.toggle(row.key)
  })
  const onOpen = (row: DisplayRow): void => {
    if (row.kind === 'run') navigate(`/runs/${row.run.run_id}`)
    else if (row.kind === 'group') data.branches.toggle(row.key)
    else row.action?.onClick()
  }
  const onSort = (col: Column): void => {
    const dir =
      view.sort.id === col.id
        ? view.dir === 'asc'
          ? 'desc'
          : 'asc'
        : col.kind === 'metric' || col.id === 'attributes.start_time'
          ? 'desc'
          : 'asc'
    setQuery({ sort: col.id, dir })
  }
  const setColumns = (next: Column[]): void =>
    setQuery({ cols: colsQuery(next) })
  const { loadMore, hasMore } = data.pages
  const onVisibleEnd = useCallback(
    (index: number) => {
      const loaded = data.pages.runs.length
      // Near the loaded end: the next page of 200. Far past it (End, a dragged scrollbar): the
      // server's largest pages, so a jump costs a fifth of the round trips.
      if (hasMore && index >= loaded - 40)
        loadMore(index - loaded > 400 ? MAX_PAGE_SIZE : undefined)
    },
    [hasMore, loadMore, data.pages.runs.length],
  )
  const exportCsv = (): void => {
    const runs = selectedIds.length ? loadedRuns.filter((r) => selected.has(r.run_id)) : loadedRuns
    downloadText(`runs-${experimentIds.join('_')}.csv`, runsToCsv(runs, view.columns))
  }
  const afterBulk = (message: string | undefined): void => {
    setNotice(message)
    setSelected(new Set())
    data.pages.reload()
    data.groups.reload()
    data.branches.reloadAll()
  }
  const groupOptions = [
    ...(data.keys.params ?? []).map((k) => `params.${k}`),
    ...(data.keys.tags ?? []).map((k) => `tags.${k}`),
  ]
  const total = view.group
    ? (data.groups.data?.groups ?? []).reduce((n, g) => n + g.count, 0)
    : data.pages.total

  if (data.experimentError) {
    return (
      <main className="page">
        <h1>
          <Link to="/experiments">Experiments</Link> / {experimentIds.join(', ')}
        </h1>
        <p className="error" role="alert">
          {data.experimentError.message}
        </p>
        <p>
          <Link to="/experiments">Back to experiments</Link>
        </p>
      </main>
    )
  }
  return (
    <main className="page runs-page">
      <div className="runs-head">
        <h1>
          <Link to="/experiments">Experiments</Link> /{' '}
          {data.names.length ? data.names.map((e) => e.name).join(', ') : experimentIds.join(', ')}
        </h1>
        <span className="muted runs-total" aria-live="polite">
          {data.error
            ? 'No runs: the request failed'
            : total === undefined
              ? 'Loading…'
              : `${total.toLocaleString()} ${view.group ? 'runs in ' + (data.groups.data?.groups?.length ?? 0) + ' groups' : total === 1 ? 'run' : 'runs'}`}
          {!view.group &&
            total !== undefined &&
            data.pages.runs.length < total &&
            ` (${data.pages.runs.length.toLocaleString()} loaded)`}
        </span>
      </div>
      <FilterBox
        value={view.filter}
        keys={data.keys}
        error={data.error?.message}
        inputRef={filterRef}
        onApply={(f) => setQuery({ filter: f.trim() || undefined })}
      />
      <div className="toolbar">
        <ColumnPicker keys={data.keys} columns={view.columns} onChange={setColumns} />
        <label>
          Group by{' '}
          <select
            aria-label="Group by"
            value={view.group?.id ?? ''}
            onChange={(e) => setQuery({ group: e.target.value || undefined })}
          >
            <option value="">(none)</option>
            {groupOptions.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={view.deleted}
            onChange={(e) => setQuery({ deleted: e.target.checked ? '1' : undefined })}
          />{' '}
          Show deleted
        </label>
        <label title={view.filter ? 'Runs are listed flat while a filter is applied' : undefined}>
          <input
            type="checkbox"
            checked={view.nested}
            disabled={!!view.filter}
            onChange={(e) => setQuery({ flat: e.target.checked ? undefined : '1' })}
          />{' '}
          Nest child runs
        </label>
        <span className="spacer" />
        <SelectionBar
          selectedIds={selectedIds}
          loadedCount={loadedRuns.length}
          onExport={exportCsv}
          onChanged={afterBulk}
          onClear={() => setSelected(new Set())}
        />
      </div>
      {notice && (
        <p className="error" role="alert">
          {notice}
        </p>
      )}
      <RunsGrid
        rows={data.rows}
        pending={data.pending}
        columns={columns}
        chosen={new Set(view.columns.map((c) => c.id))}
        sort={view.sort}
        dir={view.dir}
        selected={selected}
        allSelected={allSelected}
        active={active}
        groupLabel={view.group?.id ?? ''}
        busy={data.loading}
        setActive={setActive}
        onSort={onSort}
        onRemoveColumn={(col) => setColumns(view.columns.filter((c) => c.id !== col.id))}
        onSelect={onSelect}
        onSelectAll={() =>
          setSelected(allSelected ? new Set() : new Set(loadedRuns.map((r) => r.run_id)))
        }
        onToggleExpand={onToggleExpand}
        onOpen={onOpen}
        onVisibleEnd={onVisibleEnd}
        empty={
          data.loading || data.error
            ? undefined
            : view.filter
              ? 'No runs match the filter.'
              : 'No runs yet.'
        }
      />
    </main>
  )
}
