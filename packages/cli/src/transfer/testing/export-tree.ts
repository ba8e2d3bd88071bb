/**
 * Test helper: reads an export folder into a plain object without ids or export times, so two
 * exports of the same data compare equal with `toEqual` (runs keyed by name, parents by name,
 * model-version sources by run name, artifacts by content hash).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { encodeDouble } from '@logbook/core'
import { FolderSource } from '../folder-source.ts'
import { PARENT_RUN_TAG } from '../model.ts'
import type { LoggedModelRecord, RunRecord } from '../model.ts'

/** Tags whose values are ids or export-specific and so differ between servers. */
const ID_TAGS = new Set([PARENT_RUN_TAG])

/** The comparable content of an export folder. */
export async function readExportTree(root: string): Promise<Record<string, unknown>> {
  const source = await FolderSource.open(root)
  const runNames = new Map<string, string>()
  const runs: { experiment: string; run: RunRecord }[] = []
  const experiments: Record<string, unknown> = {}
  const loggedModelNames = new Map<string, string>()
  const loggedModels: { experiment: string; model: LoggedModelRecord }[] = []
  for await (const e of source.experiments()) {
    experiments[e.name] = { tags: e.tags, lifecycleStage: e.lifecycleStage, runs: {}, loggedModels: {} }
    for await (const run of source.runs(e)) {
      runNames.set(run.runId, run.runName)
      runs.push({ experiment: e.name, run })
    }
    for await (const model of source.loggedModels(e)) {
      loggedModelNames.set(model.modelId, model.name)
      loggedModels.push({ experiment: e.name, model })
    }
  }
  const hashes = async (list: AsyncIterable<{ path: string }>, fetch: (path: string) => Promise<{ file: string }>) => {
    const out: Record<string, string> = {}
    for await (const a of list) {
      out[a.path] = createHash('sha256').update(await readFile((await fetch(a.path)).file)).digest('hex')
    }
    return out
  }
  for (const { experiment, model } of loggedModels) {
    const target = (experiments[experiment] as { loggedModels: Record<string, unknown> }).loggedModels
    target[model.name] = {
      modelType: model.modelType,
      status: model.status,
      sourceRun: model.sourceRunId === undefined ? undefined : runNames.get(model.sourceRunId),
      params: model.params,
      tags: [...model.tags].sort((x, y) => (x.key < y.key ? -1 : 1)),
      artifacts: await hashes(source.loggedModelArtifacts(model), async (path) =>
        source.fetchLoggedModelArtifact(model, path),
      ),
    }
  }
  for (const { experiment, run } of runs) {
    const metrics: Record<string, string[]> = {}
    for (const key of run.metricKeys) {
      const points: string[] = []
      for await (const page of source.metricPages(run, key)) {
        for (const p of page) points.push(`${p.step}|${p.timestamp}|${encodeDouble(p.value)}`)
      }
      metrics[key] = points.sort()
    }
    const artifacts = await hashes(source.artifacts(run), (path) => source.fetchArtifact(run, path))
    const parent = run.tags.find((t) => t.key === PARENT_RUN_TAG)
    const target = (experiments[experiment] as { runs: Record<string, unknown> }).runs
    target[run.runName] = {
      status: run.status,
      startTime: run.startTime,
      endTime: run.endTime,
      userId: run.userId,
      lifecycleStage: run.lifecycleStage,
      params: [...run.params].sort((a, b) => (a.key < b.key ? -1 : 1)),
      tags: run.tags.filter((t) => !ID_TAGS.has(t.key)).sort((a, b) => (a.key < b.key ? -1 : 1)),
      parent: parent ? (runNames.get(parent.value) ?? `missing:${parent.value}`) : undefined,
      datasetInputs: run.datasetInputs,
      modelOutputs: (run.modelOutputs ?? []).map((o) => ({ model: loggedModelNames.get(o.modelId), step: o.step })),
      metrics,
      artifacts,
    }
  }
  const artifactRoots = new Map(runs.map(({ run }) => [run.artifactUri, run.runName]))
  const models: Record<string, unknown> = {}
  for await (const { model, versions } of source.models()) {
    models[model.name] = {
      description: model.description,
      tags: model.tags,
      aliases: model.aliases,
      versions: versions.map((v) => {
        let source = v.source
        for (const [id, name] of runNames) source = source.replace(`runs:/${id}`, `runs:/<${name}>`)
        for (const [uri, name] of artifactRoots) source = source.replace(uri, `<root of ${name}>`)
        for (const [id, name] of loggedModelNames) source = source.replace(`models:/${id}`, `models:/<${name}>`)
        return {
          version: v.version,
          source,
          run: v.runId === undefined ? undefined : runNames.get(v.runId),
          description: v.description,
          stage: v.currentStage,
          tags: v.tags,
        }
      }),
    }
  }
  return { experiments, models }
}
