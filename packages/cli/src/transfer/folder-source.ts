/** Reads an export folder (`logbook import`). */
import { createReadStream } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { FORMAT, FORMAT_VERSION, decodePoint, layout } from './folder-layout.ts'
import type { ExperimentFile, LoggedModelFile, Manifest, RunFile } from './folder-layout.ts'
import type {
  ArtifactEntry,
  ExperimentRecord,
  LocalFile,
  LoggedModelRecord,
  MetricPoint,
  ModelBundle,
  RunRecord,
  TransferSource,
} from './model.ts'

/** Points per page handed to the writer (a log-batch holds 1,000; a page several batches). */
const PAGE = 10_000

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return []
    throw e
  }
}

/** A `TransferSource` over a folder written by `FolderSink`. */
export class FolderSource implements TransferSource {
  readonly description: string
  /** Run folder and metric index per source run id, filled as runs are read. */
  private readonly runDirs = new Map<string, { dir: string; file: RunFile }>()

  private constructor(
    private readonly root: string,
    readonly manifest: Manifest,
  ) {
    this.description = manifest.source
  }

  /** Open an export folder, checking its manifest. */
  static async open(root: string): Promise<FolderSource> {
    let manifest: Manifest
    try {
      manifest = await readJson<Manifest>(layout.manifest(root))
    } catch (e) {
      throw new Error(`'${root}' is not a complete export (manifest.json: ${(e as Error).message})`)
    }
    if (manifest.format !== FORMAT || manifest.format_version > FORMAT_VERSION) {
      throw new Error(
        `'${root}' has format ${manifest.format} v${manifest.format_version}; this build reads ${FORMAT} v${FORMAT_VERSION}`,
      )
    }
    return new FolderSource(root, manifest)
  }

  async *experiments(): AsyncIterable<ExperimentRecord> {
    for (const name of await entries(layout.experimentsDir(this.root))) {
      const dir = join(layout.experimentsDir(this.root), name)
      yield (await readJson<ExperimentFile>(layout.experimentFile(dir))).experiment
    }
  }

  async *runs(experiment: ExperimentRecord): AsyncIterable<RunRecord> {
    const runsDir = layout.runsDir(layout.experimentDir(this.root, experiment.id))
    const files: { dir: string; file: RunFile }[] = []
    for (const name of await entries(runsDir)) {
      const dir = join(runsDir, name)
      files.push({ dir, file: await readJson<RunFile>(layout.runFile(dir)) })
    }
    // Oldest first, as the server reader yields them, so parents precede nested runs.
    files.sort((a, b) => a.file.run.startTime - b.file.run.startTime)
    for (const f of files) {
      this.runDirs.set(f.file.run.runId, f)
      yield f.file.run
    }
  }

  private runDir(run: RunRecord): { dir: string; file: RunFile } {
    const found = this.runDirs.get(run.runId)
    if (!found) throw new Error(`Run ${run.runId} was not read from this folder`)
    return found
  }

  async *metricPages(run: RunRecord, key: string): AsyncIterable<MetricPoint[]> {
    const { dir, file } = this.runDir(run)
    const entry = file.metrics.find((m) => m.key === key)
    if (!entry) return
    const lines = createInterface({
      input: createReadStream(join(layout.metricsDir(dir), entry.file)),
      crlfDelay: Infinity,
    })
    let page: MetricPoint[] = []
    for await (const line of lines) {
      if (line.trim() === '') continue
      page.push(decodePoint(line))
      if (page.length >= PAGE) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  artifacts(run: RunRecord): AsyncIterable<ArtifactEntry> {
    return walkFiles(layout.artifactsDir(this.runDir(run).dir))
  }

  async fetchArtifact(run: RunRecord, path: string): Promise<LocalFile> {
    return { file: join(layout.artifactsDir(this.runDir(run).dir), ...path.split('/')), temporary: false }
  }

  private loggedModelDir(model: LoggedModelRecord): string {
    return layout.loggedModelDir(layout.experimentDir(this.root, model.experimentId), model.modelId)
  }

  async *loggedModels(experiment: ExperimentRecord): AsyncIterable<LoggedModelRecord> {
    const dir = layout.loggedModelsDir(layout.experimentDir(this.root, experiment.id))
    for (const name of await entries(dir)) {
      const file = await readJson<LoggedModelFile>(layout.loggedModelFile(join(dir, name)))
      // Filed under the experiment it was exported with, whatever its record says.
      yield { ...file.loggedModel, experimentId: experiment.id }
    }
  }

  loggedModelArtifacts(model: LoggedModelRecord): AsyncIterable<ArtifactEntry> {
    return walkFiles(layout.artifactsDir(this.loggedModelDir(model)))
  }

  async fetchLoggedModelArtifact(model: LoggedModelRecord, path: string): Promise<LocalFile> {
    return { file: join(layout.artifactsDir(this.loggedModelDir(model)), ...path.split('/')), temporary: false }
  }

  async *models(): AsyncIterable<ModelBundle> {
    const dir = layout.modelsDir(this.root)
    for (const name of await entries(dir)) {
      if (name.endsWith('.json')) yield await readJson<ModelBundle>(join(dir, name))
    }
  }
}

/** Every file under `root`, as '/'-separated paths relative to it, in name order. */
async function* walkFiles(root: string, rel = ''): AsyncIterable<ArtifactEntry> {
  const dir = rel === '' ? root : join(root, ...rel.split('/'))
  let list
  try {
    list = await readdir(dir, { withFileTypes: true })
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return
    throw e
  }
  for (const d of list.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = rel === '' ? d.name : `${rel}/${d.name}`
    if (d.isDirectory()) yield* walkFiles(root, path)
    else if (d.isFile()) yield { path }
  }
}
