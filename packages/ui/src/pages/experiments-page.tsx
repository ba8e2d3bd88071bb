import { useEffect, useState } from 'react'
import { useTitle } from '../components/use-title.ts'
import { mlflow, useLoad } from '../api.ts'
import { formatAge, formatTime } from '../components/format.ts'
import { nameFilter } from '../components/search-quote.ts'
import { useDebouncedQuery } from '../components/use-debounced-query.ts'
import {
  ExperimentActionDialog,
  type ExperimentAction,
} from '../experiments/experiment-dialogs.tsx'
import type { Experiment, ExperimentPage } from '../experiments/experiment-types.ts'
import { Link, navigate, setQuery, useLocation } from '../router.tsx'

const PAGE = 200

/**
 * Experiments list: name search (`q`), "show deleted" (`deleted=1`) in the URL; create, rename,
 * delete, restore and permanent delete; tick several to open their runs side by side.
 */
export function ExperimentsPage() {
  useTitle('Experiments')
  const { query } = useLocation()
  const q = query.get('q') ?? ''
  const showDeleted = query.get('deleted') === '1'
  const [text, setText] = useDebouncedQuery('q', q)
  const [action, setAction] = useState<ExperimentAction>()
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [more, setMore] = useState<{ items: Experiment[]; token?: string; loading: boolean }>({
    items: [],
    loading: false,
  })

  const filter = nameFilter(q)
  const request = {
    filter,
    max_results: PAGE,
    view_type: showDeleted ? 'ALL' : 'ACTIVE_ONLY',
    order_by: ['last_update_time DESC'],
  }
  const first = useLoad(
    (signal) => mlflow.post<ExperimentPage>('experiments/search', request, { signal }),
    [filter, showDeleted],
  )
  useEffect(() => setMore({ items: [], token: undefined, loading: false }), [first.data])

  const experiments = [...(first.data?.experiments ?? []), ...more.items]
  const nextToken = more.items.length ? more.token : first.data?.next_page_token
  const loadMore = async (): Promise<void> => {
    if (!nextToken) return
    setMore((m) => ({ ...m, loading: true }))
    const page = await mlflow.post<ExperimentPage>('experiments/search', {
      ...request,
      page_token: nextToken,
    })
    setMore((m) => ({
      items: [...m.items, ...(page.experiments ?? [])],
      token: page.next_page_token,
      loading: false,
    }))
  }
  const toggle = (id: string): void =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const openSelected = (): void => navigate(`/experiments/${[...selected].join(',')}`)

  return (
    <main className="page experiments-page">
      <h1>Experiments</h1>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search experiments by name"
          aria-label="Search experiments by name"
          value={text}
          onChange={(e) => setText(e.target.value)}
          style={{ minWidth: 280 }}
        />
        <label>
          <input
            type="checkbox"
            checked={showDeleted}
            onChange={(e) => setQuery({ deleted: e.target.checked ? '1' : undefined })}
          />{' '}
          Show deleted
        </label>
        <span className="spacer" />
        <button type="button" disabled={selected.size === 0} onClick={openSelected}>
          {selected.size ? `Open runs of ${selected.size} selected` : 'Open runs of selected'}
        </button>
        <button type="button" className="primary" onClick={() => setAction({ kind: 'create' })}>
          Create experiment
        </button>
      </div>
      {first.error && (
        <p className="error" role="alert">
          {first.error.message}
        </p>
      )}
      <table className="grid" aria-label="Experiments" aria-busy={first.loading}>
        <thead>
          <tr>
            <th style={{ width: 32 }}>
              <span className="visually-hidden">Select</span>
            </th>
            <th>Name</th>
            <th>ID</th>
            <th>Created</th>
            <th>Last updated</th>
            <th>Tags</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((e) => (
            <ExperimentRow
              key={e.experiment_id}
              experiment={e}
              selected={selected.has(e.experiment_id)}
              onToggle={toggle}
              onAction={setAction}
            />
          ))}
        </tbody>
      </table>
      {!first.loading && experiments.length === 0 && (
        <p className="muted">{q ? `No experiment matches “${q}”.` : 'No experiments yet.'}</p>
      )}
      {nextToken && (
        <p>
          <button type="button" disabled={more.loading} onClick={() => void loadMore()}>
            Load more
          </button>
        </p>
      )}
      {action && (
        <ExperimentActionDialog
          action={action}
          onClose={() => setAction(undefined)}
          done={() => {
            setSelected(new Set())
            first.reload()
          }}
        />
      )}
    </main>
  )
}

function ExperimentRow({
  experiment: e,
  selected,
  onToggle,
  onAction,
}: {
  experiment: Experiment
  selected: boolean
  onToggle: (id: string) => void
  onAction: (a: ExperimentAction) => void
}) {
  const deleted = e.lifecycle_stage === 'deleted'
  const tags = (e.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'))
  return (
    <tr className={deleted ? 'deleted' : undefined} aria-selected={selected}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${e.name}`}
          checked={selected}
          onChange={() => onToggle(e.experiment_id)}
        />
      </td>
      <td>
        <Link to={`/experiments/${e.experiment_id}`}>{e.name}</Link>{' '}
        {deleted && <span className="badge FAILED">deleted</span>}
      </td>
      <td className="mono">{e.experiment_id}</td>
      <td title={formatTime(e.creation_time)}>{formatAge(e.creation_time)}</td>
      <td title={formatTime(e.last_update_time)}>{formatAge(e.last_update_time)}</td>
      <td className="tags-cell">
        {tags.slice(0, 3).map((t) => (
          <span key={t.key} className="badge" title={`${t.key}=${t.value}`}>
            {t.key}: {t.value}
          </span>
        ))}
        {tags.length > 3 && <span className="muted"> +{tags.length - 3}</span>}
      </td>
      <td>
        <div className="row-actions">
          {deleted ? (
            <>
              <button
                type="button"
                aria-label={`Restore ${e.name}`}
                onClick={() => onAction({ kind: 'restore', experiment: e })}
              >
                Restore
              </button>
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${e.name} permanently`}
                onClick={() => onAction({ kind: 'purge', experiment: e })}
              >
                Delete permanently
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                aria-label={`Rename ${e.name}`}
                onClick={() => onAction({ kind: 'rename', experiment: e })}
              >
                Rename
              </button>
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${e.name}`}
                onClick={() => onAction({ kind: 'delete', experiment: e })}
              >
                Delete
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  )
}
