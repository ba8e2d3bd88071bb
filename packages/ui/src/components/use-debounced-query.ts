import { useEffect, useRef, useState } from 'react'
import { setQuery } from '../router.tsx'

/**
 * A text input bound to one URL query parameter: typing updates local state at once and the URL
 * after `delay` ms of quiet; a URL change from elsewhere (back button, link) resets the text.
 */
export function useDebouncedQuery(
  name: string,
  urlValue: string,
  delay = 300,
): [string, (value: string) => void] {
  const [text, setText] = useState(urlValue)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const last = useRef(urlValue)
  useEffect(() => {
    if (urlValue !== last.current) {
      last.current = urlValue
      setText(urlValue)
    }
  }, [urlValue])
  useEffect(() => () => clearTimeout(timer.current), [])
  const update = (value: string): void => {
    setText(value)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      last.current = value
      setQuery({ [name]: value })
    }, delay)
  }
  return [text, update]
}
