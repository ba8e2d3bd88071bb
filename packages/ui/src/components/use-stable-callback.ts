import { useCallback, useLayoutEffect, useRef } from 'react'

/**
 * A function whose identity never changes but which always calls the latest `fn`, so memoised
 * children (grid rows) do not re-render because a parent re-created a handler.
 */
export function useStableCallback<A extends unknown[], R>(
  fn: (...args: A) => R,
): (...args: A) => R {
  const ref = useRef(fn)
  useLayoutEffect(() => {
    ref.current = fn
  })
  return useCallback((...args: A) => ref.current(...args), [])
}
