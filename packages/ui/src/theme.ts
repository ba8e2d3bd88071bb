import { useState } from 'react'

export type Theme = 'light' | 'dark'

/** The theme lives on <html data-theme> (set before first paint by public/theme-init.js) and in localStorage. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'))
  const toggle = (): void => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark'
    document.documentElement.dataset.theme = next
    localStorage.setItem('logbook.theme', next)
    setTheme(next)
  }
  return [theme, toggle]
}
