import { useEffect } from 'react'

/** Set document.title to "<title> · Logbook" while the page is shown, so many open tabs stay tellable apart. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Logbook` : 'Logbook'
  }, [title])
}
