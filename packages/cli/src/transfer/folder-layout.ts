/**
 * The export folder's layout and file formats (docs/export-format.md): one place that knows where
 * each record lives, shared by the folder writer and the folder reader.
 */
import { join } from 'node:path'
import { decodeDouble, encodeDouble } from '@logbook/core'
import type {
  ExperimentRecord,
  LoggedModelRecord,
  MetricPoint,
  RunRecord,
  TransferCounts,
} from './model.ts'

/** Identifies the folder format; bumped on incompatible changes. */
export const FORMAT = 'logbook-export'
export const FORMAT_VERSION = 1

/** manifest.json at the folder's root. */
export interface Manifest {
  format: typeof FORMAT
  format_version: number
  source: string
  exported_at: string
  counts: TransferCounts
}

/** One metric of a run: its key, the NDJSON file under metrics/ and how many points it holds. */
export interface MetricFileEntry {
  key: string
  file: string
  points: number
}

/** run.json: the run record plus the index of its metric files. */
export interface RunFile {
  run: RunRecord
  metrics: MetricFileEntry[]
}

/** logged-model.json. */
export interface LoggedModelFile {
  loggedModel: LoggedModelRecord
}

/** experiment.json. */
export interface ExperimentFile {
  experiment: ExperimentRecord
}

/** Paths inside an export folder. */
export const layout = {
  manifest: (root: string) => join(root, 'manifest.json'),
  experimentsDir: (root: string) => join(root, 'experiments'),
  experimentDir: (root: string, id: string) => join(root, 'experiments', safeName(id)),
  experimentFile: (dir: string) => join(dir, 'experiment.json'),
  runsDir: (experimentDir: string) => join(experimentDir, 'runs'),
  runDir: (experimentDir: string, runId: string) => join(experimentDir, 'runs', safeName(runId)),
  runFile: (runDir: string) => join(runDir, 'run.json'),
  metricsDir: (runDir: string) => join(runDir, 'metrics'),
  artifactsDir: (runDir: string) => join(runDir, 'artifacts'),
  loggedModelsDir: (experimentDir: string) => join(experimentDir, 'logged-models'),
  loggedModelDir: (experimentDir: string, modelId: string) =>
    join(experimentDir, 'logged-models', safeName(modelId)),
  loggedModelFile: (modelDir: string) => join(modelDir, 'logged-model.json'),
  modelsDir: (root: string) => join(root, 'models'),
}

/** Ids become folder names; anything but [A-Za-z0-9_-] is refused rather than trusted. */
export function safeName(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new Error(`Refusing unexpected id '${id}' as a folder name`)
  return id
}

/** An artifact path from a source, checked before it becomes a path on this machine. */
export function safeRelativePath(path: string): string {
  const parts = path.split('/')
  const bad =
    path === '' ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  if (bad) throw new Error(`Refusing unsafe artifact path '${path}'`)
  return path
}

/** One NDJSON line of a metric file; NaN and ±Infinity are written as MLflow's strings. */
export function encodePoint(p: MetricPoint): string {
  return `{"step":${p.step},"timestamp":${p.timestamp},"value":${encodeDouble(p.value)}}\n`
}

/** Parse one NDJSON line of a metric file. */
export function decodePoint(line: string): MetricPoint {
  const o = JSON.parse(line) as { step: number; timestamp: number; value: unknown }
  const value = decodeDouble(o.value)
  if (value === undefined) throw new Error(`Bad metric value in line: ${line}`)
  return { step: Number(o.step), timestamp: Number(o.timestamp), value }
}
