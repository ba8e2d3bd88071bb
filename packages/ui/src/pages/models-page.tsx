import { useEffect, useState } from 'react'
import { useTitle } from '../components/use-title.ts'
import { mlflow, useLoad } from '../api.ts'
import { PromptDialog } from '../components/dialog.tsx'
import { formatAge, formatTime } from '../components/format.ts'
import { nameFilter } from '../components/search-quote.ts'
import { useDebouncedQuery } from '../components/use-debounced-query.ts'
import type { RegisteredModel } from '../registry/registry-types.ts'
import { Link, navigate, useLocation } from '../router.tsx'
import '../registry/registry.css'

interface ModelsPage {
  registered_models?: RegisteredModel[]
  next_page_token?: string
}

const PAGE = 100
const modelPath = (name: string): string => `/models/${encodeURIComponent(name)}`

/** Registered models with a name search (`q` in the URL), newest versions per stage and aliases. */
export function ModelsPage() {
  useTitle('Registered models')
  const { query } = useLocation()
  const q = query.get('q') ?? ''
  const [text, setText] = useDebouncedQuery('q', q)
  const [creating, setCreating] = useState(false)
  const [more, setMore] = useState<{ items: RegisteredModel[]; token?: string }>({ items: [] })
  const filter = nameFilter(q)
  const first = useLoad(
    (signal) =>
      mlflow.get<ModelsPage>(
        'registered-models/search',
        { filter, max_results: PAGE, order_by: ['name ASC'] },
        { signal },
      ),
    [filter],
  )
  useEffect(() => setMore({ items: [] }), [first.data])
  const models = [...(first.data?.registered_models ?? []), ...more.items]
  const nextToken = more.items.length ? more.token : first.data?.next_page_token
  const loadMore = async (): Promise<void> => {
    const page = await mlflow.get<ModelsPage>('registered-models/search', {
      filter,
      max_results: PAGE,
      order_by: ['name ASC'],
      page_token: nextToken,
    })
    setMore((m) => ({
      items: [...m.items, ...(page.registered_models ?? [])],
      token: page.next_page_token,
    }))
  }
  return (
    <main className="page models-page">
      <h1>Registered models</h1>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search models by name"
          aria-label="Search models by name"
          value={text}
          onChange={(e) => setText(e.target.value)}
          style={{ minWidth: 280 }}
        />
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create model
        </button>
      </div>
      {first.error && (
        <p className="error" role="alert">
          {first.error.message}
        </p>
      )}
      <table className="grid" aria-label="Registered models" aria-busy={first.loading}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Latest versions</th>
            <th>Aliases</th>
            <th>Last updated</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.name}>
              <td>
                <Link to={modelPath(m.name)}>{m.name}</Link>
              </td>
              <td>
                {(m.latest_versions ?? []).map((v) => (
                  <Link
                    key={v.version}
                    to={`${modelPath(m.name)}/versions/${v.version}`}
                    className="version-link"
                  >
                    v{v.version}{' '}
                    <span className={`stage ${v.current_stage ?? 'None'}`}>
                      {v.current_stage ?? 'None'}
                    </span>{' '}
                  </Link>
                ))}
              </td>
              <td>
                {(m.aliases ?? []).map((a) => (
                  <span key={a.alias} className="alias">
                    @{a.alias} → v{a.version}
                  </span>
                ))}
              </td>
              <td title={formatTime(m.last_updated_timestamp)}>
                {formatAge(m.last_updated_timestamp)}
              </td>
              <td className="muted description-cell">{(m.description ?? '').slice(0, 120)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!first.loading && models.length === 0 && (
        <p className="muted">{q ? `No model matches “${q}”.` : 'No registered models yet.'}</p>
      )}
      {nextToken && (
        <p>
          <button type="button" onClick={() => void loadMore()}>
            Load more
          </button>
        </p>
      )}
      {creating && (
        <PromptDialog
          title="Create registered model"
          label="Name"
          submitLabel="Create"
          onClose={() => setCreating(false)}
          onSubmit={async (name) => {
            await mlflow.post('registered-models/create', { name: name.trim() })
            navigate(modelPath(name.trim()))
          }}
        />
      )}
    </main>
  )
}
