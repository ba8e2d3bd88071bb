import { useState, type FormEvent } from 'react'
import { mlflow } from '../api.ts'
import { errorMessage } from '../components/format.ts'

/** The model's aliases as removable chips and a form to point an alias at a version. */
export function AliasEditor({
  name,
  aliases,
  versions,
  onChange,
}: {
  name: string
  aliases: { alias: string; version: string }[]
  versions: string[]
  onChange: () => void
}) {
  const [alias, setAlias] = useState('')
  const [version, setVersion] = useState('')
  const [error, setError] = useState<string>()
  const guard = async (work: () => Promise<unknown>): Promise<void> => {
    setError(undefined)
    try {
      await work()
      onChange()
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    void guard(async () => {
      await mlflow.post('registered-models/alias', {
        name,
        alias: alias.trim(),
        version: version || versions[0],
      })
      setAlias('')
    })
  }
  return (
    <section aria-label="Aliases">
      <p>
        {aliases.length === 0 && <span className="muted">No aliases.</span>}
        {aliases.map((a) => (
          <span key={a.alias} className="alias">
            @{a.alias} → v{a.version}
            <button
              type="button"
              aria-label={`Delete alias ${a.alias}`}
              onClick={() =>
                void guard(() => mlflow.delete('registered-models/alias', { name, alias: a.alias }))
              }
            >
              ×
            </button>
          </span>
        ))}
      </p>
      <form className="inline-form" onSubmit={submit}>
        <input
          aria-label="Alias"
          placeholder="alias (e.g. champion)"
          value={alias}
          required
          onChange={(e) => setAlias(e.target.value)}
        />
        <select
          aria-label="Alias version"
          value={version || versions[0] || ''}
          onChange={(e) => setVersion(e.target.value)}
        >
          {versions.map((v) => (
            <option key={v} value={v}>
              version {v}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!alias.trim() || versions.length === 0}>
          Set alias
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
