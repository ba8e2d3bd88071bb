import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react'

/**
 * A small History-API router: every view is a URL (path + query), so any view can be shared.
 * Pages read state from the URL with useLocation()/useQuery() and change it with navigate().
 */

const listeners = new Set<() => void>()
const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}
const snapshot = (): string => window.location.pathname + window.location.search

/** Go to `to` (path with optional query); `replace` rewrites the current history entry. */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === snapshot()) return
  if (replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  for (const listener of listeners) listener()
}

/** Current path + query; re-renders on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot)
  const url = new URL(href, window.location.origin)
  return { path: url.pathname, query: url.searchParams }
}

/** Set (or delete, with undefined/'') query parameters of the current URL. */
export function setQuery(changes: Record<string, string | undefined>, { replace = true } = {}): void {
  const url = new URL(window.location.href)
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') url.searchParams.delete(key)
    else url.searchParams.set(key, value)
  }
  navigate(url.pathname + url.search, { replace })
}

/** Match `pattern` ("/runs/:runId", "/artifacts/*") against `path`; returns params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean)
  const have = path.split('/').filter(Boolean)
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!
    if (part === '*') {
      params['*'] = have.slice(i).map(decodeURIComponent).join('/')
      return params
    }
    const got = have[i]
    if (got === undefined) return null
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got)
    else if (part !== got) return null
  }
  return want.length === have.length ? params : null
}

/** An <a> that navigates without reloading; modified clicks (new tab) keep the browser's behaviour. */
export function Link({ to, children, className, title }: { to: string; children: ReactNode; className?: string; title?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(to)
  }
  return (
    <a href={to} onClick={onClick} className={className} title={title}>
      {children}
    </a>
  )
}
