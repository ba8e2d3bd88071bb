import { useState, type FormEvent } from 'react'
import { useTitle } from '../components/use-title.ts'
import '../auth/auth.css'
import { ApiError, logbook } from '../api.ts'
import { refreshWhoami } from '../auth/use-whoami.ts'
import { navigate, useLocation } from '../router.tsx'

/** Only same-site paths are followed after login (no open redirect through `?next=`). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/experiments'
}

/** Username and password form; the server answers with an HttpOnly session cookie. */
export function LoginPage() {
  useTitle('Log in')
  const { query } = useLocation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await logbook.post('auth/login', { username, password })
      await refreshWhoami()
      navigate(safeNext(query.get('next')), { replace: true })
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : String((err as Error).message))
    } finally {
      setBusy(false)
    }
  }
  return (
    <main className="page login-page">
      <h1>Log in to Logbook</h1>
      <form onSubmit={(e) => void submit(e)} className="auth-form">
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  )
}
