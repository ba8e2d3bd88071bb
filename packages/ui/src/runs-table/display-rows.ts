import type { RunGroup, TableRun } from './types.ts'

/** One line of the runs grid: a run (possibly nested), a group header, or a note (loading, more). */
export type DisplayRow =
  | {
      kind: 'run'
      key: string
      run: TableRun
      depth: number
      expandable: boolean
      expanded: boolean
    }
  | { kind: 'group'; key: string; group: RunGroup; expanded: boolean }
  | {
      kind: 'note'
      key: string
      depth: number
      text: string
      action?: { label: string; onClick: () => void }
    }

/** Children (or a group's runs) once fetched: rows, total and state. */
export interface Branch {
  runs: TableRun[]
  total: number
  loading: boolean
  error?: string
}

/**
 * Flatten top-level runs and the expanded branches into grid lines, depth first. `branches` maps a
 * parent run id (or `group:<value>`) to its fetched runs.
 */
export function flattenRuns(
  runs: readonly TableRun[],
  expanded: ReadonlySet<string>,
  branches: ReadonlyMap<string, Branch>,
  nested: boolean,
  depth = 0,
  out: DisplayRow[] = [],
  seen: Set<string> = new Set(),
): DisplayRow[] {
  for (const run of runs) {
    // A run reached twice (a cycle of parent tags) is shown once.
    if (seen.has(run.run_id)) continue
    seen.add(run.run_id)
    const expandable = nested && (run.child_count ?? 0) > 0
    const open = expandable && expanded.has(run.run_id)
    out.push({ kind: 'run', key: `${depth}:${run.run_id}`, run, depth, expandable, expanded: open })
    if (open)
      appendBranch(
        run.run_id,
        branches.get(run.run_id),
        expanded,
        branches,
        nested,
        depth + 1,
        out,
        seen,
      )
  }
  return out
}

function appendBranch(
  id: string,
  branch: Branch | undefined,
  expanded: ReadonlySet<string>,
  branches: ReadonlyMap<string, Branch>,
  nested: boolean,
  depth: number,
  out: DisplayRow[],
  seen: Set<string>,
): void {
  if (!branch || branch.loading) {
    out.push({ kind: 'note', key: `loading:${id}`, depth, text: 'Loading…' })
    return
  }
  if (branch.error) {
    out.push({ kind: 'note', key: `error:${id}`, depth, text: branch.error })
    return
  }
  flattenRuns(branch.runs, expanded, branches, nested, depth, out, seen)
  if (branch.total > branch.runs.length)
    out.push({
      kind: 'note',
      key: `more:${id}`,
      depth,
      text: `${branch.total - branch.runs.length} more runs not shown`,
    })
}

/** Group headers, each followed by its runs when expanded (runs of a group are not nested). */
export function flattenGroups(
  groups: readonly RunGroup[],
  expanded: ReadonlySet<string>,
  branches: ReadonlyMap<string, Branch>,
  openAsFilter: (group: RunGroup) => void,
): DisplayRow[] {
  const out: DisplayRow[] = []
  for (const group of groups) {
    const key = groupKey(group)
    const open = expanded.has(key)
    out.push({ kind: 'group', key, group, expanded: open })
    if (!open) continue
    const branch = branches.get(key)
    if (!branch || branch.loading)
      out.push({ kind: 'note', key: `loading:${key}`, depth: 1, text: 'Loading…' })
    else if (branch.error)
      out.push({ kind: 'note', key: `error:${key}`, depth: 1, text: branch.error })
    else {
      for (const run of branch.runs)
        out.push({
          kind: 'run',
          key: `${key}:${run.run_id}`,
          run,
          depth: 1,
          expandable: false,
          expanded: false,
        })
      if (branch.total > branch.runs.length) {
        out.push({
          kind: 'note',
          key: `more:${key}`,
          depth: 1,
          text: `${branch.total - branch.runs.length} more runs in this group`,
          action: { label: 'Show all as a filter', onClick: () => openAsFilter(group) },
        })
      }
    }
  }
  return out
}

/** The expansion key of a group (null values get their own key). */
export function groupKey(group: RunGroup): string {
  return group.value === null ? 'group:∅' : `group:=${group.value}`
}
