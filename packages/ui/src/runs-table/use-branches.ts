import { useCallback, useEffect, useRef, useState } from 'react'
import type { Branch } from './display-rows.ts'
import type { TableRequest } from './types.ts'
import { fetchAll } from './use-run-pages.ts'
import { errorMessage } from '../components/format.ts'

const BRANCH_LIMIT = 500

/**
 * Expanded parents and groups with their fetched runs. `requestFor(key)` gives the runs/table request
 * of a branch; everything is dropped when `resetKey` (the view) changes.
 */
export function useBranches(
  resetKey: string,
  requestFor: (key: string) => TableRequest | undefined,
) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set())
  const [branches, setBranches] = useState<Map<string, Branch>>(new Map())
  const controllers = useRef(new Map<string, AbortController>())
  const requestRef = useRef(requestFor)
  requestRef.current = requestFor

  useEffect(() => {
    for (const c of controllers.current.values()) c.abort()
    controllers.current.clear()
    setExpanded(new Set())
    setBranches(new Map())
  }, [resetKey])

  const load = useCallback((key: string) => {
    const request = requestRef.current(key)
    if (!request) return
    controllers.current.get(key)?.abort()
    const controller = new AbortController()
    controllers.current.set(key, controller)
    setBranches((m) => new Map(m).set(key, { runs: [], total: 0, loading: true }))
    fetchAll(request, BRANCH_LIMIT, controller.signal).then(
      ({ runs, total }) => {
        if (!controller.signal.aborted)
          setBranches((m) => new Map(m).set(key, { runs, total, loading: false }))
      },
      (err: unknown) => {
        if (!controller.signal.aborted)
          setBranches((m) =>
            new Map(m).set(key, {
              runs: [],
              total: 0,
              loading: false,
              error: errorMessage(err),
            }),
          )
      },
    )
  }, [])

  const toggle = useCallback(
    (key: string) => {
      const next = new Set(expanded)
      if (next.has(key)) next.delete(key)
      else {
        next.add(key)
        load(key)
      }
      setExpanded(next)
    },
    [expanded, load],
  )
  /** Fetch every open branch again (after a bulk action). */
  const reloadAll = useCallback(() => {
    for (const key of expanded) load(key)
  }, [expanded, load])

  return { expanded, branches, toggle, reloadAll }
}
