/**
 * Fills a fresh MLflow SQLite database (schema from `mlflow db upgrade`) with one experiment of
 * `runs` runs x `params` params x `metrics` metrics, written straight into MLflow's tables (its own
 * server would need hours to ingest this through the API). Every run gets the tags MLflow's client
 * sets, one point per metric (so `metrics` and `latest_metrics` agree), and increasing start times.
 */
import { execFileSync } from 'node:child_process'
import Database from 'better-sqlite3'
import { prng } from '../stats.ts'

export interface FillShape {
  runs: number
  params: number
  metrics: number
}

export function runUuid(i: number): string {
  return i.toString(16).padStart(32, '0')
}

/** Deterministic values shared with the Logbook fill, so both UIs show the same table. */
export function paramValue(i: number, p: number): string {
  return p % 5 === 0 ? ['adam', 'sgd', 'rmsprop', 'adagrad'][(i + p) % 4]! : String(((i * 31 + p * 17) % 997) / 1000)
}

export function metricValue(rand: () => number, m: number): number {
  return m % 2 === 0 ? rand() * 2 : rand()
}

export function fillMlflowDb(mlflowBin: string, dbPath: string, shape: FillShape, startTime = 1_760_000_000_000): string {
  execFileSync(mlflowBin, ['db', 'upgrade', `sqlite:///${dbPath}`], { stdio: 'ignore' })
  const db = new Database(dbPath)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const now = Date.now()
  const experimentId = 1
  db.prepare(
    "insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) values (?, 'ui-bench', ?, 'active', ?, ?)",
  ).run(experimentId, `mlflow-artifacts:/${experimentId}`, now, now)
  const run = db.prepare(
    "insert into runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id) values (?, ?, 'LOCAL', 'train.py', '', 'bench', 'FINISHED', ?, ?, '', 'active', ?, ?)",
  )
  const param = db.prepare('insert into params (key, value, run_uuid) values (?, ?, ?)')
  const tag = db.prepare('insert into tags (key, value, run_uuid) values (?, ?, ?)')
  const metric = db.prepare('insert into metrics (key, value, timestamp, run_uuid, step, is_nan) values (?, ?, ?, ?, 0, 0)')
  const latest = db.prepare('insert into latest_metrics (key, value, timestamp, step, is_nan, run_uuid) values (?, ?, ?, 0, 0, ?)')
  const rand = prng(42)
  const insertRange = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = runUuid(i)
      const start = startTime + i * 1000
      run.run(id, `run-${i}`, start, start + 60_000, `mlflow-artifacts:/${experimentId}/${id}/artifacts`, experimentId)
      for (let p = 0; p < shape.params; p++) param.run(`param_${p}`, paramValue(i, p), id)
      for (let m = 0; m < shape.metrics; m++) {
        const value = metricValue(rand, m)
        metric.run(`metric_${m}`, value, start + 60_000, id)
        latest.run(`metric_${m}`, value, start + 60_000, id)
      }
      tag.run('mlflow.runName', `run-${i}`, id)
      tag.run('mlflow.user', 'bench', id)
      tag.run('mlflow.source.name', 'train.py', id)
    }
  })
  for (let from = 0; from < shape.runs; from += 5000) insertRange(from, Math.min(shape.runs, from + 5000))
  db.close()
  return String(experimentId)
}
