import { useState, type FormEvent } from 'react'
import type { KeyValue } from './registry-types.ts'
import { errorMessage } from '../components/format.ts'

/**
 * A tag table with a delete button per tag and an add/overwrite form; `onSet`/`onDelete` call the
 * server, errors are shown inline.
 */
export function TagEditor({
  tags,
  onSet,
  onDelete,
  label,
}: {
  tags: KeyValue[]
  label: string
  onSet: (key: string, value: string) => Promise<void>
  onDelete: (key: string) => Promise<void>
}) {
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const guard = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      await work()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const add = (e: FormEvent): void => {
    e.preventDefault()
    void guard(async () => {
      await onSet(key.trim(), value)
      setKey('')
      setValue('')
    })
  }
  return (
    <section aria-label={label}>
      {tags.length > 0 ? (
        <table className="grid kv-table" aria-label={label}>
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tags.map((t) => (
              <tr key={t.key}>
                <td className="mono">{t.key}</td>
                <td className="mono wrap">{t.value}</td>
                <td>
                  <button
                    type="button"
                    className="ghost"
                    aria-label={`Delete tag ${t.key}`}
                    disabled={busy}
                    onClick={() => void guard(() => onDelete(t.key))}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No tags.</p>
      )}
      <form className="inline-form" onSubmit={add}>
        <input
          aria-label="Tag key"
          placeholder="key"
          value={key}
          required
          onChange={(e) => setKey(e.target.value)}
        />
        <input
          aria-label="Tag value"
          placeholder="value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" disabled={busy || !key.trim()}>
          Add tag
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
