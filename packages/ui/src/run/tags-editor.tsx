import { useState, type FormEvent } from 'react'
import { mlflow } from '../api.ts'
import { ConfirmDialog, PromptDialog } from '../components/dialog.tsx'
import { isSystemTag, type WireRun } from './types.ts'
import { errorMessage } from '../components/format.ts'

/** User tags with add / edit / delete (runs/set-tag, runs/delete-tag); system tags listed read-only. */
export function TagsEditor({
  run,
  reload,
  editable,
}: {
  run: WireRun
  reload: () => void
  editable: boolean
}) {
  const runId = run.info.run_id
  const tags = [...(run.data.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key))
  const user = tags.filter((t) => !isSystemTag(t.key))
  const system = tags.filter((t) => isSystemTag(t.key) && t.key !== 'mlflow.note.content')
  const [editing, setEditing] = useState<{ key: string; value: string }>()
  const [deleting, setDeleting] = useState<string>()
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string>()
  const setTag = async (k: string, v: string): Promise<void> => {
    await mlflow.post('runs/set-tag', { run_id: runId, key: k, value: v })
    reload()
  }
  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setError(undefined)
    try {
      await setTag(key.trim(), value)
      setKey('')
      setValue('')
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  return (
    <div className="tags-editor">
      {user.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <table className="grid kv">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              {editable && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {user.map((t) => (
              <tr key={t.key} data-tag={t.key}>
                <td className="mono">{t.key}</td>
                <td className="mono wrap">{t.value}</td>
                {editable && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="ghost"
                      aria-label={`Edit tag ${t.key}`}
                      onClick={() => setEditing(t)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="ghost"
                      aria-label={`Delete tag ${t.key}`}
                      onClick={() => setDeleting(t.key)}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && (
        <form className="toolbar add-tag" onSubmit={(e) => void add(e)}>
          <input
            placeholder="key"
            aria-label="New tag key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
          />
          <input
            placeholder="value"
            aria-label="New tag value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" disabled={!key.trim()}>
            Add tag
          </button>
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
      {system.length > 0 && (
        <details className="system-tags">
          <summary className="muted">System tags ({system.length})</summary>
          <table className="grid kv">
            <tbody>
              {system.map((t) => (
                <tr key={t.key}>
                  <td className="mono">{t.key}</td>
                  <td className="mono wrap">{t.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {editing && (
        <PromptDialog
          title={`Edit tag ${editing.key}`}
          label="Value"
          initial={editing.value}
          onSubmit={(v) => setTag(editing.key, v)}
          onClose={() => setEditing(undefined)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete tag"
          message={
            <>
              Delete tag <code>{deleting}</code>?
            </>
          }
          confirmLabel="Delete"
          danger
          onConfirm={async () => {
            await mlflow.post('runs/delete-tag', { run_id: runId, key: deleting })
            reload()
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </div>
  )
}
