import { logbook } from '../api.ts'
import './auth.css'
import { Link, navigate } from '../router.tsx'
import { refreshWhoami, useWhoami } from './use-whoami.ts'

/** Top-bar identity, token link and logout; nothing at all when the server runs without --auth. */
export function UserMenu() {
  const whoami = useWhoami()
  if (!whoami?.auth_enabled || !whoami.user) return null
  const logout = async (): Promise<void> => {
    await logbook.post('auth/logout', {})
    await refreshWhoami()
    navigate('/login', { replace: true })
  }
  return (
    <span className="user-menu">
      <span className="muted" title={whoami.user.is_admin ? 'Administrator' : undefined}>
        {whoami.user.username}
        {whoami.user.is_admin ? ' (admin)' : ''}
      </span>
      <Link to="/tokens">Tokens</Link>
      <button type="button" className="ghost" onClick={() => void logout()}>
        Log out
      </button>
    </span>
  )
}
