import { useState, type FormEvent } from 'react'
import { useTitle } from '../components/use-title.ts'
import '../auth/auth.css'
import { ApiError, logbook, useLoad } from '../api.ts'
import { ConfirmDialog } from '../components/dialog.tsx'
import { formatTime } from '../components/format.ts'

interface TokenInfo {
  id: number
  name: string
  created_ms: number
  last_used_ms: number | null
  expires_ms: number | null
  revoked_ms: number | null
}

function state(t: TokenInfo): string {
  if (t.revoked_ms !== null) return `revoked ${formatTime(t.revoked_ms)}`
  if (t.expires_ms !== null && t.expires_ms <= Date.now()) return 'expired'
  return 'active'
}

/** Personal access tokens for MLFLOW_TRACKING_TOKEN: list, create (shown once), revoke. */
export function TokensPage() {
  useTitle('Access tokens')
  const tokens = useLoad((signal) => logbook.get<{ tokens?: TokenInfo[] }>('tokens/list', undefined, signal), [])
  const [name, setName] = useState('')
  const [days, setDays] = useState('')
  const [created, setCreated] = useState<{ name: string; token: string } | undefined>(undefined)
  const [revoking, setRevoking] = useState<TokenInfo | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setError(undefined)
    try {
      const body = days.trim() ? { name, expires_in_days: Number(days) } : { name }
      const res = await logbook.post<{ token: string }>('tokens/create', body)
      setCreated({ name, token: res.token })
      setName('')
      setDays('')
      tokens.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const revoke = async (t: TokenInfo): Promise<void> => {
    await logbook.post('tokens/revoke', { id: t.id })
    setRevoking(undefined)
    tokens.reload()
  }
  const list = tokens.data?.tokens ?? []
  // Without authentication the server has no token routes (404): say so instead of a raw route error.
  if (tokens.error instanceof ApiError && tokens.error.status === 404) {
    return (
      <main className="page tokens-page">
        <h1>Personal access tokens</h1>
        <p className="muted" role="status">
          Authentication is not enabled on this server, so clients need no token. Tokens can be created once the
          server runs with authentication on.
        </p>
      </main>
    )
  }
  return (
    <main className="page tokens-page">
      <h1>Personal access tokens</h1>
      <p className="muted">
        Use a token with MLflow&apos;s client as <code>MLFLOW_TRACKING_TOKEN</code>, or as <code>Authorization: Bearer …</code>.
      </p>
      {created ? (
        <div className="token-created" role="status">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <code className="token-value">{created.token}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created.token)}>
            Copy
          </button>{' '}
          <button type="button" className="ghost" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      <form className="auth-form inline" onSubmit={(e) => void create(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="laptop, CI, …" required maxLength={200} />
        </label>
        <label>
          Expires in days (optional)
          <input value={days} onChange={(e) => setDays(e.target.value)} inputMode="numeric" pattern="[0-9]*" />
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      {error || tokens.error ? <p className="error">{error ?? tokens.error?.message}</p> : null}
      <table className="tokens-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Expires</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{formatTime(t.created_ms)}</td>
              <td>{t.last_used_ms === null ? 'never' : formatTime(t.last_used_ms)}</td>
              <td>{t.expires_ms === null ? 'never' : formatTime(t.expires_ms)}</td>
              <td>{state(t)}</td>
              <td>
                {state(t) === 'active' ? (
                  <button type="button" onClick={() => setRevoking(t)}>
                    Revoke
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {list.length === 0 && !tokens.loading ? (
            <tr>
              <td colSpan={6} className="muted">
                No tokens yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {revoking ? (
        <ConfirmDialog
          title={`Revoke token ${revoking.name}?`}
          message="Clients using it get 401 from now on."
          confirmLabel="Revoke"
          danger
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(undefined)}
        />
      ) : null}
    </main>
  )
}
