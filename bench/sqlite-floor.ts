/**
 * The floor of SQLite ingest on this machine, without Logbook: better-sqlite3 alone inserting the
 * bench's pattern (8 runs x 10 keys, 1,000-point batches of 100 steps, one transaction each), WAL
 * and synchronous=NORMAL, with and without the store's background checkpointer
 * (packages/store/src/dialect/sqlite-checkpointer.ts). Whatever the server adds (HTTP, JSON,
 * validation, latest_metrics, metric_blocks) comes on top.
 * `--layout rows`: the point-a-row table Logbook used until migration 0009 (`metrics`, WITHOUT
 * ROWID, 6-column primary key, 500-row `INSERT ... ON CONFLICT DO NOTHING`).
 * `--layout chunks`: roughly the storage migration 0009 moved to (`metric_chunks`): each batch's
 * 100 points of a key as one row, steps, timestamps and values packed in a BLOB, so a batch is
 * 10 rows instead of 1,000.
 *
 *   npx tsx bench/sqlite-floor.ts [--batches 3000] [--reps 3] [--layout rows|chunks]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { startCheckpointer, type Checkpointer } from '../packages/store/src/dialect/sqlite-checkpointer.ts'
import { BACKSTOP_CHECKPOINT_PAGES } from '../packages/store/src/dialect/sqlite-dialect.ts'

const { values: args } = parseArgs({
  options: { batches: { type: 'string', default: '3000' }, reps: { type: 'string', default: '3' }, layout: { type: 'string', default: 'rows' } },
})
const CHUNKS = args.layout === 'chunks'
const BATCHES = Number(args.batches)
const ROWS = 500

let seed = 1
const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647

/** Logbook's table and statement: one B-tree row a point, 500-row inserts. */
function rowWriter(db: Database.Database): (run: number, base: number) => void {
  db.exec(`create table metrics (run_id bigint not null, key_id bigint not null, step bigint not null,
    timestamp bigint not null, value double precision not null, is_nan smallint not null,
    primary key (run_id, key_id, step, timestamp, value, is_nan)) without rowid`)
  const insert = db.prepare(`insert into metrics values ${Array(ROWS).fill('(?,?,?,?,?,?)').join(',')} on conflict do nothing`)
  const params = new Array<number>(ROWS * 6).fill(0)
  return (run, base) => {
    let k = 0
    for (let key = 1; key <= 10; key++) {
      for (let s = 0; s < 100; s++) {
        params[k++] = run
        params[k++] = key
        params[k++] = base + s
        params[k++] = 1.7e12 + base + s
        params[k++] = rand()
        params[k++] = 0
        if (k === params.length) {
          insert.run(params)
          k = 0
        }
      }
    }
  }
}

/** One row a key and batch: its 100 steps, timestamps and values as float64 in a BLOB. */
function chunkWriter(db: Database.Database): (run: number, base: number) => void {
  db.exec(`create table metric_chunks (run_id bigint not null, key_id bigint not null, first_step bigint not null,
    seq integer not null, n integer not null, last_step bigint not null, data blob not null,
    primary key (run_id, key_id, first_step, seq)) without rowid`)
  const insert = db.prepare(`insert into metric_chunks values ${Array(10).fill('(?,?,?,?,?,?,?)').join(',')}`)
  const params = new Array<unknown>(70)
  return (run, base) => {
    let k = 0
    for (let key = 1; key <= 10; key++) {
      const data = new Float64Array(300)
      for (let s = 0; s < 100; s++) {
        data[s] = base + s
        data[100 + s] = 1.7e12 + base + s
        data[200 + s] = rand()
      }
      for (const v of [run, key, base, 0, 100, base + 99, Buffer.from(data.buffer)]) params[k++] = v
    }
    insert.run(params)
  }
}

async function once(dir: string, checkpointer: boolean): Promise<{ wall: number; commit: number }> {
  const path = join(dir, `floor-${checkpointer}.db`)
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('cache_size = -65536')
  const write = CHUNKS ? chunkWriter(db) : rowWriter(db)
  let background: Checkpointer | undefined
  if (checkpointer) {
    // What the store's SQLite adapter does once metrics arrive.
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
    background = startCheckpointer(path, () => console.error('checkpointer thread failed'))
    await new Promise((r) => setTimeout(r, 200))
  }
  const begin = db.prepare('begin immediate')
  const commit = db.prepare('commit')
  let commitMs = 0
  const t0 = performance.now()
  for (let b = 0; b < BATCHES; b++) {
    begin.run()
    write((b % 8) + 1, Math.floor(b / 8) * 100)
    const t1 = performance.now()
    commit.run()
    commitMs += performance.now() - t1
    // Let the checkpointer's messages and timers run, as a server's event loop would.
    if (b % 20 === 0) await new Promise((r) => setImmediate(r))
  }
  const wall = (performance.now() - t0) / BATCHES
  await background?.stop()
  db.close()
  return { wall, commit: commitMs / BATCHES }
}

const dir = mkdtempSync(join(tmpdir(), 'logbook-sqlite-floor-'))
try {
  for (let rep = 1; rep <= Number(args.reps); rep++) {
    for (const checkpointer of [false, true]) {
      const r = await once(dir, checkpointer)
      const label = checkpointer ? 'checkpointer thread' : 'auto checkpoint    '
      console.log(`${args.layout} rep ${rep} ${label}: ${r.wall.toFixed(2)} ms per 1,000-point batch (commit ${r.commit.toFixed(2)} ms) = ${Math.round(1e6 / r.wall).toLocaleString('en')} points/s`)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
