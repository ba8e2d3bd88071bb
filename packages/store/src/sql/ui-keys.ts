import { parseExperimentId } from '@logbook/core'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'
import type { ExperimentKeys } from '../ui-queries.ts'
import type { StoreContext } from './context.ts'

type KeyKind = 'param' | 'metric' | 'tag'

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Keys of one write, by kind. */
export interface WrittenKeys {
  params?: Iterable<string>
  metrics?: Iterable<string>
  tags?: Iterable<string>
}

/** Entries beyond this clear the cache (a client inventing keys per run must not grow memory). */
const CACHE_LIMIT = 100_000

// Per store: `${experiment}\0${kind}\0${key}` entries known to be in experiment_keys. Rows are only
// ever added, so an entry stays true in every process; a missing entry costs one no-op insert.
const known = new WeakMap<StoreContext, Set<string>>()

function cacheOf(ctx: StoreContext): Set<string> {
  let set = known.get(ctx)
  if (!set) known.set(ctx, (set = new Set()))
  return set
}

/**
 * Record a write's keys in `experiment_keys` inside the caller's transaction. When every key is
 * already known (the steady state of a training loop) this is a few Set lookups and no SQL.
 * Returns a callback that marks the keys known; call it after the transaction commits.
 */
export async function recordExperimentKeys(
  ctx: StoreContext,
  trx: Kysely<Database>,
  experimentId: number,
  keys: WrittenKeys,
): Promise<() => void> {
  const cache = cacheOf(ctx)
  const fresh: { entry: string; kind: KeyKind; key: string }[] = []
  const add = (kind: KeyKind, list: Iterable<string> | undefined) => {
    for (const key of list ?? []) {
      const entry = `${experimentId}\0${kind}\0${key}`
      if (!cache.has(entry)) fresh.push({ entry, kind, key })
    }
  }
  add('param', keys.params)
  add('metric', keys.metrics)
  add('tag', keys.tags)
  if (fresh.length === 0) return () => {}
  const rows = new Map(fresh.map((f) => [f.entry, f]))
  // Sorted so concurrent PostgreSQL transactions take the unique-index locks in one order.
  const values = [...rows.values()]
    .sort((a, b) => byCodeUnit(a.entry, b.entry))
    .map((f) => ({ experiment_id: experimentId, kind: f.kind, key: f.key }))
  await trx.insertInto('experiment_keys').values(values).onConflict((oc) => oc.doNothing()).execute()
  return () => {
    if (cache.size + rows.size > CACHE_LIMIT) cache.clear()
    for (const entry of rows.keys()) cache.add(entry)
  }
}

/** experiments/keys: distinct keys of the experiments' runs (active and deleted), sorted. */
export async function experimentKeys(ctx: StoreContext, experimentIds: string[]): Promise<ExperimentKeys> {
  const ids = experimentIds.map(parseExperimentId)
  const out: Record<KeyKind, Set<string>> = { param: new Set(), metric: new Set(), tag: new Set() }
  if (ids.length > 0) {
    const rows = await ctx.db
      .selectFrom('experiment_keys')
      .select(['kind', 'key'])
      .where('experiment_id', 'in', ids)
      .execute()
    for (const r of rows) out[r.kind as KeyKind]?.add(r.key)
  }
  return {
    params: [...out.param].sort(byCodeUnit),
    metrics: [...out.metric].sort(byCodeUnit),
    tags: [...out.tag].sort(byCodeUnit),
  }
}
