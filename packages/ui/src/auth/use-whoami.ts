import { useEffect, useState } from 'react'
import { logbook } from '../api.ts'

/** What `auth/whoami` answers: whether auth is on, and who is logged in. */
export interface Whoami {
  auth_enabled: boolean
  user?: { id: number; username: string; is_admin: boolean }
}

let cached: Promise<Whoami> | undefined
const listeners = new Set<(w: Whoami) => void>()

/** Ask the server again (after login or logout) and tell every component using `useWhoami`. */
export function refreshWhoami(): Promise<Whoami> {
  cached = logbook.get<Whoami>('auth/whoami').catch(() => ({ auth_enabled: false }))
  void cached.then((w) => listeners.forEach((l) => l(w)))
  return cached
}

/** The current identity; undefined while the first answer is on its way. */
export function useWhoami(): Whoami | undefined {
  const [whoami, setWhoami] = useState<Whoami | undefined>(undefined)
  useEffect(() => {
    listeners.add(setWhoami)
    void (cached ?? refreshWhoami()).then(setWhoami)
    return () => {
      listeners.delete(setWhoami)
    }
  }, [])
  return whoami
}
