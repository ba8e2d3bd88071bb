import { useState } from 'react'
import { useTitle } from '../components/use-title.ts'
import { mlflow, useLoad } from '../api.ts'
import { errorMessage, formatTime } from '../components/format.ts'
import { DescriptionEditor } from '../registry/description-editor.tsx'
import { STAGES, type ModelVersion } from '../registry/registry-types.ts'
import { TagEditor } from '../registry/tag-editor.tsx'
import { Link } from '../router.tsx'
import '../registry/registry.css'

/** One model version: facts, source run, stage transition, description and tags. */
export function ModelVersionPage({ name, version }: { name: string; version: string }) {
  useTitle(`${name} v${version} · Models`)
  const loaded = useLoad(
    (signal) =>
      mlflow.get<{ model_version: ModelVersion }>(
        'model-versions/get',
        { name, version },
        { signal },
      ),
    [name, version],
  )
  const v = loaded.data?.model_version
  const base = `/models/${encodeURIComponent(name)}`
  return (
    <main className="page model-version-page">
      <h1>
        <Link to="/models" className="breadcrumb">
          Models
        </Link>{' '}
        /{' '}
        <Link to={base} className="breadcrumb">
          {name}
        </Link>{' '}
        / Version {version}
      </h1>
      {loaded.error && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      {v && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`badge ${v.status === 'READY' ? 'FINISHED' : 'RUNNING'}`}>
                {v.status}
              </span>{' '}
              {v.status_message}
            </dd>
            <dt>Stage</dt>
            <dd>
              <span className={`stage ${v.current_stage ?? 'None'}`}>
                {v.current_stage ?? 'None'}
              </span>
            </dd>
            <dt>Aliases</dt>
            <dd>
              {(v.aliases ?? []).length === 0 && (
                <span className="muted">none (set them on the model page)</span>
              )}
              {(v.aliases ?? []).map((a) => (
                <span key={a} className="alias">
                  @{a}
                </span>
              ))}
            </dd>
            <dt>Source run</dt>
            <dd>
              {v.run_id ? (
                <Link to={`/runs/${v.run_id}`}>{v.run_id}</Link>
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
            <dt>Source</dt>
            <dd className="mono">{v.source}</dd>
            {v.model_id && (
              <>
                <dt>Logged model</dt>
                <dd className="mono">{v.model_id}</dd>
              </>
            )}
            <dt>Created</dt>
            <dd>
              {formatTime(v.creation_timestamp)}
              {v.user_id ? ` by ${v.user_id}` : ''}
            </dd>
            <dt>Last updated</dt>
            <dd>{formatTime(v.last_updated_timestamp)}</dd>
          </dl>
          <StageForm
            name={name}
            version={version}
            stage={v.current_stage ?? 'None'}
            onChange={loaded.reload}
          />
          <DescriptionEditor
            what={`${name} version ${version}`}
            text={v.description}
            onSave={async (description) => {
              await mlflow.patch('model-versions/update', { name, version, description })
              loaded.reload()
            }}
          />
          <div className="section-head">
            <h2>Tags</h2>
          </div>
          <TagEditor
            label="Version tags"
            tags={v.tags ?? []}
            onSet={async (key, value) => {
              await mlflow.post('model-versions/set-tag', { name, version, key, value })
              loaded.reload()
            }}
            onDelete={async (key) => {
              await mlflow.delete('model-versions/delete-tag', { name, version, key })
              loaded.reload()
            }}
          />
        </>
      )}
    </main>
  )
}

function StageForm({
  name,
  version,
  stage,
  onChange,
}: {
  name: string
  version: string
  stage: string
  onChange: () => void
}) {
  const [target, setTarget] = useState(stage)
  const [archive, setArchive] = useState(false)
  const [error, setError] = useState<string>()
  const submit = async (): Promise<void> => {
    setError(undefined)
    try {
      await mlflow.post('model-versions/transition-stage', {
        name,
        version,
        stage: target,
        archive_existing_versions: archive,
      })
      onChange()
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  return (
    <section aria-label="Stage transition">
      <div className="section-head">
        <h2>Stage</h2>
      </div>
      <div className="inline-form">
        <select aria-label="New stage" value={target} onChange={(e) => setTarget(e.target.value)}>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} />{' '}
          Archive other versions in this stage
        </label>
        <button type="button" disabled={target === stage} onClick={() => void submit()}>
          Transition
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
