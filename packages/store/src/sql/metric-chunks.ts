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

/** The points of blocks [firstBlock, lastBlock] (either open) of one series, sorted and distinct. */
export async function readBlocks(
  ctx: Pick<StoreContext, 'adapter'>,
  db: Kysely<Database>,
  runId: number,
  keyId: number,
  firstBlock?: number,
  lastBlock?: number,
): Promise<Points> {
  let q = db.selectFrom('metric_chunks').select(['block', 'data']).where('run_id', '=', runId).where('key_id', '=', keyId)
  if (firstBlock !== undefined) q = q.where('block', '>=', firstBlock)
  if (lastBlock !== undefined) q = q.where('block', '<=', lastBlock)
  const rows = (await ctx.adapter.selectArrays(db, q.orderBy('block').orderBy('seq').compile())) as [number | string, Uint8Array][]
  const lists: Points[] = []
  // Chunks of one block may interleave (a write among earlier steps); blocks never do.
  for (let i = 0; i < rows.length; ) {
    let j = i + 1
    while (j < rows.length && Number(rows[j]?.[0]) === Number(rows[i]?.[0])) j++
    lists.push(j === i + 1 ? decodeChunk(rows[i]?.[1] as Uint8Array) : mergePoints(rows.slice(i, j).map((r) => decodeChunk(r[1]))))
    i = j
  }
  return concatBlocks(lists)
}

/** Sorted lists of successive blocks in one list (no comparison needed). */
function concatBlocks(lists: Points[]): Points {
  return lists.length === 1 ? (lists[0] as Points) : mergePoints(lists)
}

/** The points of the listed blocks of one series, by block (absent blocks are left out). */
export async function readBlockList(ctx: StoreContext, runId: number, keyId: number, blocks: number[]): Promise<Map<number, Points>> {
  const out = new Map<number, Points>()
  for (let i = 0; i < blocks.length; i += 500) {
    const list = blocks.slice(i, i + 500)
    const q = ctx.db.selectFrom('metric_chunks').select(['block', 'data']).where('run_id', '=', runId).where('key_id', '=', keyId).where('block', 'in', list)
    const rows = (await ctx.adapter.selectArrays(ctx.db, q.orderBy('block').orderBy('seq').compile())) as [number | string, Uint8Array][]
    for (const [block, data] of rows) {
      const b = Number(block)
      const seen = out.get(b)
      out.set(b, seen ? mergePoints([seen, decodeChunk(data)]) : decodeChunk(data))
    }
  }
  return out
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
