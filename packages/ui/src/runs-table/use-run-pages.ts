import { useCallback, useEffect, useRef, useState } from 'react'
import { logbook } from '../api.ts'
import type { TablePage, TableRequest, TableRun } from './types.ts'

export const PAGE_SIZE = 200
/** The server's largest page: used to catch up when the user jumps far past the loaded rows. */
export const MAX_PAGE_SIZE = 1000

export interface RunPages {
  runs: TableRun[]
  total: number | undefined
  hasMore: boolean
  loading: boolean
  error: Error | undefined
  /** Fetch the next page of `size` runs (default the page size; no-op while one is in flight or at the end). */
  loadMore: (size?: number) => void
  /** Start again from the first page (after a delete/restore). */
  reload: () => void
}

/**
 * Pages of POST logbook/runs/table for one request: the first page on every request change, the
 * next one on demand. A changed request aborts the page in flight so stale rows never land.
 */
export function useRunPages(request: TableRequest | undefined, pageSize = PAGE_SIZE): RunPages {
  const key = request ? JSON.stringify(request) : ''
  const [state, setState] = useState<{
    key: string
    runs: TableRun[]
    total?: number
    token?: string
    done: boolean
    error?: Error
  }>({
    key: '',
    runs: [],
    done: false,
  })
  const [loading, setLoading] = useState(false)
  const inflight = useRef<AbortController | undefined>(undefined)
  const [tick, setTick] = useState(0)

  const fetchPage = useCallback(
    (token: string | undefined, reset: boolean, size: number = pageSize) => {
      if (!request) return
      inflight.current?.abort()
      const controller = new AbortController()
      inflight.current = controller
      setLoading(true)
      logbook
        .post<TablePage>(
          'runs/table',
          { ...request, max_results: size, page_token: token },
          controller.signal,
        )
        .then(
          (page) => {
            if (controller.signal.aborted) return
            inflight.current = undefined
            setLoading(false)
            setState((prev) => ({
              key,
              runs: reset ? (page.runs ?? []) : [...prev.runs, ...(page.runs ?? [])],
              total: page.total,
              token: page.next_page_token,
              done: !page.next_page_token,
            }))
          },
          (error: unknown) => {
            if (controller.signal.aborted) return
            inflight.current = undefined
            setLoading(false)
            setState((prev) => ({
              ...prev,
              key,
              error: error instanceof Error ? error : new Error(String(error)),
              done: true,
            }))
          },
        )
    },
    // `key` stands for `request`
    [key, pageSize],
  )

  useEffect(() => {
    setState({ key, runs: [], done: false })
    fetchPage(undefined, true)
    return () => inflight.current?.abort()
  }, [fetchPage, tick])

  const current = state.key === key
  const loadMore = useCallback(
    (size?: number) => {
      if (inflight.current || state.done || !state.token || state.key !== key) return
      fetchPage(state.token, false, size)
    },
    [fetchPage, state, key],
  )
  const reload = useCallback(() => setTick((t) => t + 1), [])

  return {
    runs: current ? state.runs : [],
    total: current ? state.total : undefined,
    hasMore: current && !state.done,
    loading: loading || !current,
    error: current ? state.error : undefined,
    loadMore,
    reload,
  }
}

/** All runs of one request (children of a parent, runs of a group), up to `limit`. */
export async function fetchAll(
  request: TableRequest,
  limit: number,
  signal?: AbortSignal,
): Promise<{ runs: TableRun[]; total: number }> {
  const runs: TableRun[] = []
  let token: string | undefined
  let total = 0
  do {
    const page = await logbook.post<TablePage>(
      'runs/table',
      { ...request, max_results: Math.min(1000, limit - runs.length), page_token: token },
      signal,
    )
    runs.push(...(page.runs ?? []))
    total = page.total
    token = page.next_page_token
  } while (token && runs.length < limit)
  return { runs, total }
}
