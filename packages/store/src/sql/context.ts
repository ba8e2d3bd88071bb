import { CompiledQuery, type Compilable, type Kysely } from 'kysely'
import { invalidParam, notFound } from '@logbook/core'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import type { Database } from '../schema.ts'

/** What every part of the SQL store shares. */
export interface StoreContext {
  adapter: DialectAdapter
  db: Kysely<Database>
  /** Root for new experiments' artifact locations, e.g. `mlflow-artifacts:` or an absolute path. */
  defaultArtifactRoot: string
  /** Metric key -> integer id. Keys are never renamed or deleted, so the map is safe across processes. */
  keyIds: Map<string, number>
}

/** The columns of a run row the write paths check. */
export interface RunRef {
  id: number
  run_uuid: string
  experiment_id: number
  lifecycle_stage: string
}

// Per Kysely dialect adapter (shared by a database and its transactions): compiled SQL by shape.
const compiled = new WeakMap<object, Map<string, CompiledQuery>>()

/**
 * Run a hot-path query with new parameters, building and compiling it with Kysely only once per
 * shape and dialect (building and compiling cost tens of µs per query, a visible share of a
 * log-batch). `build` must produce exactly `params`, in order, as its parameters.
 */
export async function runCompiled<R>(
  db: Kysely<Database>,
  shape: string,
  build: () => Compilable<R>,
  params: readonly unknown[],
): Promise<R[]> {
  const dialect = db.getExecutor().adapter
  let byShape = compiled.get(dialect)
  if (!byShape) compiled.set(dialect, (byShape = new Map()))
  let query = byShape.get(shape)
  if (!query) {
    query = build().compile()
    if (query.parameters.length !== params.length) {
      throw new Error(`${shape}: compiled ${query.parameters.length} parameters, expected ${params.length}`)
    }
    if (byShape.size >= 1000) byShape.clear()
    byShape.set(shape, query)
  }
  const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, params as unknown[]))
  return result.rows
}

/**
 * Look a run up by its public id; 404 when absent. `lock` (PostgreSQL, inside a transaction) also
 * locks its row until the transaction ends, in the same round trip.
 */
export async function findRun(db: Kysely<Database>, runUuid: string, lock = false): Promise<RunRef> {
  const [row] = await runCompiled(
    db,
    lock ? 'findRun-lock' : 'findRun',
    () => {
      const q = db.selectFrom('runs').select(['id', 'run_uuid', 'experiment_id', 'lifecycle_stage']).where('run_uuid', '=', runUuid)
      return lock ? q.forUpdate() : q
    },
    [runUuid],
  )
  if (!row) throw notFound(`Run with id=${runUuid} not found`)
  return row
}

/** Look a run up and require it to be active, as every MLflow write does (`lock`: see findRun). */
export async function findActiveRun(db: Kysely<Database>, runUuid: string, lock = false): Promise<RunRef> {
  const run = await findRun(db, runUuid, lock)
  if (run.lifecycle_stage !== 'active') {
    throw invalidParam(
      `The run ${runUuid} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`,
    )
  }
  return run
}

/** Resolve metric keys to ids, creating missing ones (outside the caller's transaction). */
export async function resolveKeyIds(ctx: StoreContext, keys: Iterable<string>): Promise<Map<string, number>> {
  const missing = new Set<string>()
  for (const k of keys) if (!ctx.keyIds.has(k)) missing.add(k)
  if (missing.size > 0) {
    const list = [...missing]
    await ctx.db
      .insertInto('metric_keys')
      .values(list.map((key) => ({ key })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    for (let i = 0; i < list.length; i += 500) {
      const rows = await ctx.db
        .selectFrom('metric_keys')
        .select(['id', 'key'])
        .where('key', 'in', list.slice(i, i + 500))
        .execute()
      for (const r of rows) ctx.keyIds.set(r.key, r.id)
    }
  }
  return ctx.keyIds
}

/** Split a list into chunks small enough for SQL parameter limits. */
export function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}
