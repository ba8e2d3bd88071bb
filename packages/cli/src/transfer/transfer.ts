/** Drives one transfer: every experiment, run, metric, artifact and model from a source to a sink. */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  ArtifactEntry,
  ArtifactWriter,
  ExperimentRecord,
  LocalFile,
  ModelBundle,
  RunRecord,
  TransferCounts,
  TransferSink,
  TransferSource,
} from './model.ts'

/** What a transfer reports progress to (the CLI's shared `Progress` bar fits). */
export interface TransferProgress {
  setTotal(total: number): void
  advance(amount: number, items?: number): void
  finish(): void
}

/** A sink that can refuse a transfer before writing anything (name collisions). */
interface CheckingSink extends TransferSink {
  check?(experiments: ExperimentRecord[], models: ModelBundle[]): Promise<void>
}

/** Copy everything `source` yields into `sink`; returns what was carried. */
export async function transfer(
  source: TransferSource,
  sink: CheckingSink,
  progress?: TransferProgress,
): Promise<TransferCounts> {
  const counts: TransferCounts = {
    experiments: 0,
    runs: 0,
    loggedModels: 0,
    metricPoints: 0,
    artifacts: 0,
    artifactBytes: 0,
    models: 0,
    modelVersions: 0,
  }
  // First pass over metadata only: which runs travel, hence which models, so that the sink can
  // refuse (name collisions) before anything is written.
  const experiments: ExperimentRecord[] = []
  for await (const e of source.experiments()) experiments.push(e)
  const runIds = new Set<string>()
  for (const e of experiments) for await (const run of source.runs(e)) runIds.add(run.runId)
  const models: ModelBundle[] = []
  for await (const bundle of source.models(runIds)) models.push(bundle)
  await sink.check?.(experiments, models)
  let total = 0
  const tmpDir = await mkdtemp(join(tmpdir(), 'logbook-transfer-'))
  try {
    for (const experiment of experiments) {
      await sink.experiment(experiment)
      counts.experiments += 1
      // Run records are small (no history); listing them first gives the progress bar its total.
      const runs: RunRecord[] = []
      for await (const run of source.runs(experiment)) runs.push(run)
      total += runs.length
      progress?.setTotal(total)
      for (const run of runs) {
        await copyRun(source, sink, experiment, run, tmpDir, counts)
        counts.runs += 1
        progress?.advance(1, 1)
      }
      for await (const model of source.loggedModels(experiment)) {
        const writer = await sink.loggedModel(experiment, model)
        for await (const entry of source.loggedModelArtifacts(model)) {
          const file = await source.fetchLoggedModelArtifact(model, entry.path, tmpDir)
          await copyFile(writer, entry, file, counts)
        }
        await writer.end()
        counts.loggedModels += 1
      }
    }
    for (const bundle of models) {
      await sink.model(bundle)
      counts.models += 1
      counts.modelVersions += bundle.versions.length
    }
    await sink.finish(counts)
    progress?.finish()
    return counts
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
}

async function copyRun(
  source: TransferSource,
  sink: TransferSink,
  experiment: ExperimentRecord,
  run: RunRecord,
  tmpDir: string,
  counts: TransferCounts,
): Promise<void> {
  const writer = await sink.run(experiment, run)
  for (const key of run.metricKeys) {
    counts.metricPoints += await writer.metric(key, source.metricPages(run, key))
  }
  for await (const entry of source.artifacts(run)) {
    await copyFile(writer, entry, await source.fetchArtifact(run, entry.path, tmpDir), counts)
  }
  await writer.end()
}

/** Hand one fetched file to a writer and count it. */
async function copyFile(
  writer: ArtifactWriter,
  entry: ArtifactEntry,
  file: LocalFile,
  counts: TransferCounts,
): Promise<void> {
  const { size } = await stat(file.file)
  await writer.artifact(entry, file)
  counts.artifacts += 1
  counts.artifactBytes += size
}
