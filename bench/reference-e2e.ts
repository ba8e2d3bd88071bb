/**
 * How fast is this machine against the one that measured ../shared/reference/physical-limits.md?
 * Re-runs three of its figures with the same code shape:
 *   - JSON.parse of an ~82 KB 1,000-metric log-batch body (reference: 299 / 301 / 365 µs);
 *   - SQLite alone: schema B (integer ids, 5-column WITHOUT ROWID primary key), 1,000 single-row
 *     inserts per transaction, 1M points interleaved (reference: 833k / 833k / 851k points/s);
 *   - end to end: node:http + JSON.parse + that insert, one transaction per request, loaded by
 *     `wrk -t1 -c10 -d10s` after a 3 s warm-up (reference: 0.51M / 0.55M / 0.56M points/s).
 * No validation, no latest values, no summaries: a floor under any MLflow-compatible server here.
 *
 *   npx tsx bench/reference-e2e.ts [--reps 3]      (needs wrk: apt-get install wrk)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { freePort } from '../packages/store/src/testing/free-port.ts'
import { prng } from './stats.ts'

const SCHEMA = `create table metrics (run_id integer not null, key_id integer not null, step integer not null,
  timestamp integer not null, value real not null, primary key (run_id, key_id, step, timestamp, value)) without rowid`

function openDb(path: string): Database.Database {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(SCHEMA)
  return db
}

function body(): string {
  const rand = prng(7)
  const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `metric_${i % 10}`, value: rand(), timestamp: 1_764_000_000_000 + i, step: Math.floor(i / 10) }))
  return JSON.stringify({ run_id: 'r'.repeat(32), metrics })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (xs: number[], unit: string, digits = 0) => {
  const s = [...xs].sort((a, b) => a - b)
  return `${s.map((x) => x.toLocaleString('en', { maximumFractionDigits: digits })).join(' / ')} ${unit} (min / ... / max; median ${median(xs).toLocaleString('en', { maximumFractionDigits: digits })})`
}

function parseMicros(text: string): number {
  for (let i = 0; i < 300; i++) JSON.parse(text)
  const t0 = performance.now()
  for (let i = 0; i < 3000; i++) JSON.parse(text)
  return ((performance.now() - t0) / 3000) * 1000
}

function insertRate(dir: string): number {
  const path = join(dir, `insert-${Date.now()}.db`)
  const db = openDb(path)
  const insert = db.prepare('insert into metrics values (?, ?, ?, ?, ?)')
  const rand = prng(11)
  // Interleaved: 100 runs x 10 keys, each batch 1 run x 10 keys x 100 steps, runs round-robin.
  const batch = db.transaction((run: number, base: number) => {
    for (let key = 1; key <= 10; key++) for (let s = 0; s < 100; s++) insert.run(run, key, base + s, base + s, rand())
  })
  const t0 = performance.now()
  for (let b = 0; b < 1000; b++) batch((b % 100) + 1, Math.floor(b / 100) * 100)
  const rate = 1e6 / ((performance.now() - t0) / 1000)
  db.close()
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true })
  return rate
}

/** The replica server (run as a child so wrk and it are separate processes, as in the reference). */
function serve(dbPath: string, port: number): void {
  const db = openDb(dbPath)
  const insert = db.prepare('insert into metrics values (?, ?, ?, ?, ?)')
  const keyIds = new Map<string, number>()
  let request = 0
  type Body = { run_id: string; metrics: { key: string; value: number; timestamp: number; step: number }[] }
  const write = db.transaction((b: Body, shift: number) => {
    for (const m of b.metrics) {
      let id = keyIds.get(m.key)
      if (id === undefined) keyIds.set(m.key, (id = keyIds.size + 1))
      insert.run(1, id, m.step + shift, m.timestamp, m.value)
    }
  })
  createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      // wrk resends one body: shift the steps per request to keep the primary keys unique.
      write(JSON.parse(Buffer.concat(chunks).toString()) as Body, 100 * request++)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  }).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
}

function wrk(port: number, script: string, seconds: number): number {
  const out = spawnSync('wrk', ['-t1', '-c10', `-d${seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${port}/`], { encoding: 'utf8' })
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout)
  if (!m) throw new Error(`wrk failed: ${out.stderr || out.stdout}`)
  return Number(m[1]) * 1000
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, serve: { type: 'string' }, port: { type: 'string' } } })
  if (values.serve) return serve(values.serve, Number(values.port))
  const reps = Number(values.reps)
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed (apt-get install wrk)')
  const dir = mkdtempSync(join(tmpdir(), 'logbook-reference-'))
  try {
    const text = body()
    const bodyFile = join(dir, 'body.json')
    writeFileSync(bodyFile, text)
    const script = join(dir, 'post.lua')
    writeFileSync(script, `wrk.method = "POST"\nlocal f = io.open("${bodyFile}", "rb"); wrk.body = f:read("*all"); f:close()\nwrk.headers["Content-Type"] = "application/json"\n`)
    const parse = Array.from({ length: reps }, () => parseMicros(text))
    console.log(`JSON.parse of the ${text.length.toLocaleString('en')}-byte body: ${fmt(parse, 'µs', 1)}; reference 299 / 301 / 365 µs`)
    const inserts = Array.from({ length: reps }, () => insertRate(dir))
    console.log(`SQLite schema B, 1M interleaved points: ${fmt(inserts, 'points/s')}; reference 833k / 833k / 851k`)
    const e2e: number[] = []
    for (let r = 0; r < reps; r++) {
      const port = await freePort()
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', join(dir, `e2e-${r}.db`), '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
      await new Promise<void>((ready) => child.stdout.once('data', () => ready()))
      wrk(port, script, 3)
      e2e.push(wrk(port, script, 10))
      child.kill('SIGTERM')
      await new Promise((done) => child.once('exit', done))
    }
    console.log(`End to end (node:http + JSON.parse + insert, wrk -c10): ${fmt(e2e, 'points/s')}; reference 0.51M / 0.55M / 0.56M`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
