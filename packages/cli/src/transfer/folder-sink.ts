/** Writes a transfer into an export folder (`logbook export`). */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { FORMAT, FORMAT_VERSION, encodePoint, layout, safeRelativePath } from './folder-layout.ts'
import type { LoggedModelFile, Manifest, MetricFileEntry, RunFile } from './folder-layout.ts'
import type {
  ArtifactEntry,
  ArtifactWriter,
  LoggedModelRecord,
  ExperimentRecord,
  LocalFile,
  MetricPoint,
  ModelBundle,
  RunRecord,
  RunWriter,
  TransferCounts,
  TransferSink,
} from './model.ts'

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

/** Write `pages` to an NDJSON file without holding more than one page; returns the point count. */
async function writeMetricFile(file: string, pages: AsyncIterable<MetricPoint[]>): Promise<number> {
  const out = createWriteStream(file)
  let count = 0
  try {
    for await (const page of pages) {
      let chunk = ''
      for (const p of page) chunk += encodePoint(p)
      count += page.length
      if (!out.write(chunk)) await once(out, 'drain')
    }
  } finally {
    out.end()
    await once(out, 'close')
  }
  return count
}

/** Put an artifact under `root` (moved when temporary, copied otherwise). */
async function placeArtifact(root: string, entry: ArtifactEntry, file: LocalFile): Promise<void> {
  const target = join(root, ...safeRelativePath(entry.path).split('/'))
  await mkdir(dirname(target), { recursive: true })
  if (file.temporary) await rename(file.file, target)
  else await copyFile(file.file, target)
}

class FolderArtifactWriter implements ArtifactWriter {
  constructor(
    private readonly root: string,
    private readonly close: () => Promise<void>,
  ) {}

  artifact(entry: ArtifactEntry, file: LocalFile): Promise<void> {
    return placeArtifact(this.root, entry, file)
  }

  end(): Promise<void> {
    return this.close()
  }
}

class FolderRunWriter implements RunWriter {
  private readonly metrics: MetricFileEntry[] = []

  constructor(
    private readonly dir: string,
    private readonly run: RunRecord,
  ) {}

  async metric(key: string, pages: AsyncIterable<MetricPoint[]>): Promise<number> {
    const file = `${this.metrics.length}.ndjson`
    await mkdir(layout.metricsDir(this.dir), { recursive: true })
    const points = await writeMetricFile(join(layout.metricsDir(this.dir), file), pages)
    this.metrics.push({ key, file, points })
    return points
  }

  artifact(entry: ArtifactEntry, file: LocalFile): Promise<void> {
    return placeArtifact(layout.artifactsDir(this.dir), entry, file)
  }

  async end(): Promise<void> {
    const body: RunFile = { run: this.run, metrics: this.metrics }
    await writeFile(layout.runFile(this.dir), json(body))
  }
}

/** A `TransferSink` that lays records out as described in docs/export-format.md. */
export class FolderSink implements TransferSink {
  private models = 0

  private constructor(
    private readonly root: string,
    private readonly source: string,
  ) {}

  /** Open `root` for writing; it must be missing or empty so two exports never mix. */
  static async create(root: string, source: string): Promise<FolderSink> {
    await mkdir(root, { recursive: true })
    if ((await readdir(root)).length > 0) {
      throw new Error(`Destination '${root}' is not empty; choose a new folder`)
    }
    await mkdir(layout.experimentsDir(root))
    await mkdir(layout.modelsDir(root))
    return new FolderSink(root, source)
  }

  async experiment(experiment: ExperimentRecord): Promise<void> {
    const dir = layout.experimentDir(this.root, experiment.id)
    await mkdir(layout.runsDir(dir), { recursive: true })
    await writeFile(layout.experimentFile(dir), json({ experiment }))
  }

  async run(experiment: ExperimentRecord, run: RunRecord): Promise<RunWriter> {
    const dir = layout.runDir(layout.experimentDir(this.root, experiment.id), run.runId)
    await mkdir(dir, { recursive: true })
    return new FolderRunWriter(dir, run)
  }

  async loggedModel(experiment: ExperimentRecord, model: LoggedModelRecord): Promise<ArtifactWriter> {
    const dir = layout.loggedModelDir(layout.experimentDir(this.root, experiment.id), model.modelId)
    await mkdir(dir, { recursive: true })
    const body: LoggedModelFile = { loggedModel: model }
    return new FolderArtifactWriter(layout.artifactsDir(dir), () =>
      writeFile(layout.loggedModelFile(dir), json(body)),
    )
  }

  async model(bundle: ModelBundle): Promise<void> {
    this.models += 1
    const file = join(layout.modelsDir(this.root), `${String(this.models).padStart(6, '0')}.json`)
    await writeFile(file, json(bundle))
  }

  async finish(counts: TransferCounts): Promise<void> {
    const manifest: Manifest = {
      format: FORMAT,
      format_version: FORMAT_VERSION,
      source: this.source,
      exported_at: new Date().toISOString(),
      counts,
    }
    await writeFile(layout.manifest(this.root), json(manifest))
  }
}
