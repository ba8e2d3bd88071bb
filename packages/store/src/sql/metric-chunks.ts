/**
 * Reading and writing metric points as chunks (migration 0009, format in point-chunks.ts). Every
 * reader of points goes through readPoints; the writer is metric-blocks.ts, which knows each
 * block's new distinct points and the block's point count before them (the chunk's seq).
 */
import type { Kysely } from 'kysely'
import { METRIC_BLOCK } from '../migrations/0006-metric-blocks.ts'
import type { Database } from '../schema.ts'
import type { StoreContext } from './context.ts'
import { decodeChunk, encodeChunk, mergePoints, stepRange, type Points } from './point-chunks.ts'

/** A block with this many chunks is rewritten as one (one-point log-metric calls add one each). */
export const MAX_CHUNKS = 8

/** The block of a step: floor division, the same as migration 0006's SQL for negative steps. */
export const blockOfStep = (step: number): number => Math.floor(step / METRIC_BLOCK)

type ChunkQuery = ReturnType<typeof chunkQuery>

/** A series' chunks, block by block, each block's in seq order. */
function chunkQuery(db: Kysely<Database>, runId: number, keyId: number) {
  return db.selectFrom('metric_chunks').select(['block', 'data']).where('run_id', '=', runId).where('key_id', '=', keyId)
}

/**
 * The points of each block the query's chunks fall in, in block order. Chunks of one block may
 * interleave (a write among earlier steps) and are merged; blocks never do.
 */
async function pointsByBlock(ctx: Pick<StoreContext, 'adapter'>, db: Kysely<Database>, q: ChunkQuery): Promise<[number, Points][]> {
  const rows = (await ctx.adapter.selectArrays(db, q.orderBy('block').orderBy('seq').compile())) as [number | string, Uint8Array][]
  const out: [number, Points][] = []
  for (let i = 0; i < rows.length; ) {
    const block = Number(rows[i]?.[0])
    let j = i + 1
    while (j < rows.length && Number(rows[j]?.[0]) === block) j++
    out.push([block, mergePoints(rows.slice(i, j).map((r) => decodeChunk(r[1])))])
    i = j
  }
  return out
}

/** The points of blocks [firstBlock, lastBlock] (either open) of one series, sorted and distinct. */
export async function readBlocks(
  ctx: Pick<StoreContext, 'adapter'>,
  db: Kysely<Database>,
  runId: number,
  keyId: number,
  firstBlock?: number,
  lastBlock?: number,
): Promise<Points> {
  let q = chunkQuery(db, runId, keyId)
  if (firstBlock !== undefined) q = q.where('block', '>=', firstBlock)
  if (lastBlock !== undefined) q = q.where('block', '<=', lastBlock)
  // Successive blocks are already in order: merging them only joins the lists.
  return mergePoints((await pointsByBlock(ctx, db, q)).map(([, p]) => p))
}

/** The points of the listed blocks of one series, by block (absent blocks are left out). */
export async function readBlockList(ctx: StoreContext, runId: number, keyId: number, blocks: number[]): Promise<Map<number, Points>> {
  const out = new Map<number, Points>()
  for (let i = 0; i < blocks.length; i += 500) {
    const q = chunkQuery(ctx.db, runId, keyId).where('block', 'in', blocks.slice(i, i + 500))
    for (const [block, p] of await pointsByBlock(ctx, ctx.db, q)) out.set(block, p)
  }
  return out
}

/** Blocks [firstBlock, lastBlock] of one of a run's series. */
export type BlockReader = (keyId: number, firstBlock: number, lastBlock: number) => Promise<Points>

/**
 * Stored blocks of a run's series read once per write: the ordered-series check and the duplicate
 * check of a batch among earlier steps ask for the same blocks (the second for a part of them).
 */
export function blockReader(ctx: StoreContext, trx: Kysely<Database>, runId: number): BlockReader {
  const read = new Map<number, { first: number; last: number; points: Points }>()
  return async (keyId, first, last) => {
    const seen = read.get(keyId)
    if (seen && seen.first <= first && last <= seen.last) return stepRange(seen.points, first * METRIC_BLOCK, (last + 1) * METRIC_BLOCK - 1)
    const points = await readBlocks(ctx, trx, runId, keyId, first, last)
    read.set(keyId, { first, last, points })
    return points
  }
}

/** The points of one series with steps in [first, last] (either open), sorted and distinct. */
export async function readPoints(ctx: StoreContext, runId: number, keyId: number, first?: number, last?: number, db: Kysely<Database> = ctx.db): Promise<Points> {
  const points = await readBlocks(ctx, db, runId, keyId, first === undefined ? undefined : blockOfStep(first), last === undefined ? undefined : blockOfStep(last))
  return stepRange(points, first, last)
}

/** A block's new points and its point count before them. */
export interface BlockWrite {
  keyId: number
  block: number
  /** The block's point count before this write: the chunk's seq. */
  seq: number
  /** Chunks in the block after this write (metric_blocks.chunks). */
  chunks: number
  points: Points
}

/**
 * Insert one chunk per written block, then compact the blocks that reached MAX_CHUNKS: their
 * chunks are read, merged and written back as one (seq 0; every other seq is at least 1).
 */
export async function writeChunks(ctx: StoreContext, trx: Kysely<Database>, runId: number, writes: BlockWrite[]): Promise<void> {
  const full = writes.filter((w) => w.chunks >= MAX_CHUNKS)
  const rows = writes
    .filter((w) => w.chunks < MAX_CHUNKS)
    .map((w) => ({ runId, keyId: w.keyId, block: w.block, seq: w.seq, data: encodeChunk(w.points) }))
  await ctx.adapter.insertChunks(trx, rows)
  for (const w of full) {
    const stored = await readBlocks(ctx, trx, runId, w.keyId, w.block, w.block)
    const merged = mergePoints([stored, w.points])
    await trx.deleteFrom('metric_chunks').where('run_id', '=', runId).where('key_id', '=', w.keyId).where('block', '=', w.block).execute()
    await ctx.adapter.insertChunks(trx, [{ runId, keyId: w.keyId, block: w.block, seq: 0, data: encodeChunk(merged) }])
    await trx.updateTable('metric_blocks').set({ chunks: 1 }).where('run_id', '=', runId).where('key_id', '=', w.keyId).where('block', '=', w.block).execute()
  }
}
