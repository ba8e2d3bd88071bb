import type { Kysely, Selectable } from 'kysely'
import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus, LifecycleStage } from '@logbook/core'
import type { Database } from '../schema.ts'
import { chunks } from './context.ts'

export type RunRow = Selectable<Database['runs']>

/** RunInfo as MLflow emits it: run_id and run_uuid both, end_time only once set. */
export function toRunInfo(r: RunRow): RunInfo {
  const info: RunInfo = {
    run_uuid: r.run_uuid,
    experiment_id: String(r.experiment_id),
    run_name: r.name,
    user_id: r.user_id,
    status: r.status as RunStatus,
    start_time: r.start_time,
    artifact_uri: r.artifact_uri,
    lifecycle_stage: r.lifecycle_stage as LifecycleStage,
    run_id: r.run_uuid,
  }
  if (r.end_time !== null) info.end_time = r.end_time
  return info
}

function group<T>(rows: { run_id: number }[], map: (row: never) => T): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const row of rows) {
    const list = out.get(row.run_id)
    const item = map(row as never)
    if (list) list.push(item)
    else out.set(row.run_id, [item])
  }
  return out
}

/** Hydrate run rows with params, tags, latest metrics, inputs and outputs (a few queries per 500 runs). */
export async function loadRuns(db: Kysely<Database>, rows: RunRow[]): Promise<Run[]> {
  const params = new Map<number, KeyValue[]>()
  const tags = new Map<number, KeyValue[]>()
  const metrics = new Map<number, Metric[]>()
  const inputs = new Map<number, DatasetInput[]>()
  const modelInputs = new Map<number, { model_id: string }[]>()
  const outputs = new Map<number, { model_id: string; step: number }[]>()
  const merge = <T>(into: Map<number, T[]>, from: Map<number, T[]>) => {
    for (const [k, v] of from) into.set(k, v)
  }
  for (const part of chunks(rows.map((r) => r.id))) {
    const [p, t, m, d, mi, mo] = await Promise.all([
      db.selectFrom('params').select(['run_id', 'key', 'value']).where('run_id', 'in', part).orderBy('run_id').orderBy('key').execute(),
      db.selectFrom('tags').select(['run_id', 'key', 'value']).where('run_id', 'in', part).orderBy('run_id').orderBy('key').execute(),
      db
        .selectFrom('latest_metrics as l')
        .innerJoin('metric_keys as k', 'k.id', 'l.key_id')
        .select(['l.run_id', 'k.key', 'l.value', 'l.is_nan', 'l.timestamp', 'l.step'])
        .where('l.run_id', 'in', part)
        .orderBy('k.key')
        .execute(),
      db
        .selectFrom('inputs as i')
        .innerJoin('datasets as d', 'd.id', 'i.dataset_id')
        .select(['i.run_id', 'i.dataset_id', 'd.name', 'd.digest', 'd.source_type', 'd.source', 'd.schema', 'd.profile'])
        .where('i.run_id', 'in', part)
        .orderBy('i.dataset_id')
        .execute(),
      db.selectFrom('run_model_inputs').select(['run_id', 'model_id']).where('run_id', 'in', part).execute(),
      db.selectFrom('run_model_outputs').select(['run_id', 'model_id', 'step']).where('run_id', 'in', part).execute(),
    ])
    merge(params, group(p, (r: KeyValue) => ({ key: r.key, value: r.value })))
    merge(tags, group(t, (r: KeyValue) => ({ key: r.key, value: r.value })))
    merge(
      metrics,
      group(m, (r: { key: string; value: number; is_nan: number; timestamp: number; step: number }) => ({
        key: r.key,
        value: r.is_nan ? Number.NaN : r.value,
        timestamp: r.timestamp,
        step: r.step,
      })),
    )
    merge(modelInputs, group(mi, (r: { model_id: string }) => ({ model_id: r.model_id })))
    merge(outputs, group(mo, (r: { model_id: string; step: number }) => ({ model_id: r.model_id, step: r.step })))
    if (d.length > 0) {
      const inputTags = await db
        .selectFrom('input_tags')
        .select(['run_id', 'dataset_id', 'key', 'value'])
        .where('run_id', 'in', part)
        .execute()
      const tagsOf = new Map<string, KeyValue[]>()
      for (const it of inputTags) {
        const k = `${it.run_id}:${it.dataset_id}`
        tagsOf.set(k, [...(tagsOf.get(k) ?? []), { key: it.key, value: it.value }])
      }
      merge(
        inputs,
        group(d, (r: (typeof d)[number]) => ({
          tags: tagsOf.get(`${r.run_id}:${r.dataset_id}`) ?? [],
          dataset: {
            name: r.name,
            digest: r.digest,
            source_type: r.source_type,
            source: r.source,
            ...(r.schema !== null ? { schema: r.schema } : {}),
            ...(r.profile !== null ? { profile: r.profile } : {}),
          },
        })),
      )
    }
  }
  return rows.map((r) => {
    const run: Run = {
      info: toRunInfo(r),
      data: { metrics: metrics.get(r.id) ?? [], params: params.get(r.id) ?? [], tags: tags.get(r.id) ?? [] },
      inputs: {},
      outputs: {},
    }
    // Empty lists are left out (MLflow omits them, and toWireJson then takes the native path).
    const datasetInputs = inputs.get(r.id)
    const models = modelInputs.get(r.id)
    const modelOutputs = outputs.get(r.id)
    if (datasetInputs) run.inputs.dataset_inputs = datasetInputs
    if (models) run.inputs.model_inputs = models
    if (modelOutputs) run.outputs.model_outputs = modelOutputs
    return run
  })
}
