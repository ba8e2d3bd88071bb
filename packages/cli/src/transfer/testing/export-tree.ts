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
import type { RunRecord } from '../model.ts'

/** Tags whose values are ids or export-specific and so differ between servers. */
const ID_TAGS = new Set([PARENT_RUN_TAG])

/** The comparable content of an export folder. */
export async function readExportTree(root: string): Promise<Record<string, unknown>> {
  const source = await FolderSource.open(root)
  const runNames = new Map<string, string>()
  const runs: { experiment: string; run: RunRecord }[] = []
  const experiments: Record<string, unknown> = {}
  for await (const e of source.experiments()) {
    experiments[e.name] = { tags: e.tags, lifecycleStage: e.lifecycleStage, runs: {} }
    for await (const run of source.runs(e)) {
      runNames.set(run.runId, run.runName)
      runs.push({ experiment: e.name, run })
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
    const artifacts: Record<string, string> = {}
    for await (const a of source.artifacts(run)) {
      const { file } = await source.fetchArtifact(run, a.path)
      artifacts[a.path] = createHash('sha256').update(await readFile(file)).digest('hex')
    }
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
