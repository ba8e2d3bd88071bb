import { useState } from 'react'
import { useTitle } from '../components/use-title.ts'
import { mlflow, useLoad } from '../api.ts'
import { ConfirmDialog } from '../components/dialog.tsx'
import { formatTime } from '../components/format.ts'
import { AliasEditor } from '../registry/alias-editor.tsx'
import { DescriptionEditor } from '../registry/description-editor.tsx'
import type { ModelVersion, RegisteredModel } from '../registry/registry-types.ts'
import { TagEditor } from '../registry/tag-editor.tsx'
import { Link, navigate } from '../router.tsx'
import { quoteString } from '../components/search-quote.ts'
import '../registry/registry.css'

/** One registered model: description, aliases, tags and every version with its source run. */
export function ModelPage({ name }: { name: string }) {
  useTitle(`${name} · Models`)
  const [deleting, setDeleting] = useState(false)
  const model = useLoad(
    (signal) =>
      mlflow.get<{ registered_model: RegisteredModel }>(
        'registered-models/get',
        { name },
        { signal },
      ),
    [name],
  )
  const versions = useLoad(
    (signal) =>
      mlflow.get<{ model_versions?: ModelVersion[] }>(
        'model-versions/search',
        {
          filter: `name = ${quoteString(name)}`,
          order_by: ['version_number DESC'],
          max_results: 1000,
        },
        { signal },
      ),
    [name],
  )
  const reload = (): void => {
    model.reload()
    versions.reload()
  }
  const m = model.data?.registered_model
  const list = versions.data?.model_versions ?? []
  const base = `/models/${encodeURIComponent(name)}`
  return (
    <main className="page model-page">
      <h1>
        <Link to="/models" className="breadcrumb">
          Models
        </Link>{' '}
        / {name}
      </h1>
      {model.error && (
        <p className="error" role="alert">
          {model.error.message}
        </p>
      )}
      {m && (
        <>
          <dl className="facts">
            <dt>Created</dt>
            <dd>{formatTime(m.creation_timestamp)}</dd>
            <dt>Last updated</dt>
            <dd>{formatTime(m.last_updated_timestamp)}</dd>
            <dt>Versions</dt>
            <dd>{list.length}</dd>
          </dl>
          <DescriptionEditor
            what={name}
            text={m.description}
            onSave={async (description) => {
              await mlflow.patch('registered-models/update', { name, description })
              reload()
            }}
          />
          <div className="section-head">
            <h2>Aliases</h2>
          </div>
          <AliasEditor
            name={name}
            aliases={m.aliases ?? []}
            versions={list.map((v) => v.version)}
            onChange={reload}
          />
          <div className="section-head">
            <h2>Tags</h2>
          </div>
          <TagEditor
            label="Model tags"
            tags={m.tags ?? []}
            onSet={async (key, value) => {
              await mlflow.post('registered-models/set-tag', { name, key, value })
              reload()
            }}
            onDelete={async (key) => {
              await mlflow.delete('registered-models/delete-tag', { name, key })
              reload()
            }}
          />
        </>
      )}
      <div className="section-head">
        <h2>Versions</h2>
      </div>
      {versions.error && <p className="error">{versions.error.message}</p>}
      <table className="grid" aria-label="Model versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Status</th>
            <th>Stage</th>
            <th>Aliases</th>
            <th>Tags</th>
            <th>Source run</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {list.map((v) => (
            <tr key={v.version}>
              <td>
                <Link to={`${base}/versions/${v.version}`}>Version {v.version}</Link>
              </td>
              <td>
                <span
                  className={`badge ${v.status === 'READY' ? 'FINISHED' : v.status === 'FAILED_REGISTRATION' ? 'FAILED' : 'RUNNING'}`}
                >
                  {v.status}
                </span>
              </td>
              <td>
                <span className={`stage ${v.current_stage ?? 'None'}`}>
                  {v.current_stage ?? 'None'}
                </span>
              </td>
              <td>
                {(v.aliases ?? []).map((a) => (
                  <span key={a} className="alias">
                    @{a}
                  </span>
                ))}
              </td>
              <td className="tags-cell">
                {(v.tags ?? []).map((t) => (
                  <span key={t.key} className="badge">
                    {t.key}: {t.value}
                  </span>
                ))}
              </td>
              <td className="mono">
                {v.run_id ? (
                  <Link to={`/runs/${v.run_id}`}>{v.run_id.slice(0, 12)}</Link>
                ) : (
                  <span className="muted">{v.source}</span>
                )}
              </td>
              <td>{formatTime(v.creation_timestamp)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!versions.loading && list.length === 0 && <p className="muted">No versions yet.</p>}
      <p>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          Delete model
        </button>
      </p>
      {deleting && (
        <ConfirmDialog
          title="Delete registered model"
          message={<p>Delete {name} and all its versions? This cannot be undone.</p>}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await mlflow.delete('registered-models/delete', { name })
            navigate('/models')
          }}
        />
      )}
    </main>
  )
}
