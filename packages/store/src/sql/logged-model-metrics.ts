import type { Kysely } from 'kysely'
import type { Metric } from '@logbook/core'
import type { Database } from '../schema.ts'
import { chunks } from './context.ts'

/**
 * log-batch hook: metrics carrying `model_id` (MLflow 3's log_model and autolog) are also recorded
 * on those logged models, inside the caller's transaction. Unknown model ids are skipped, as MLflow
 * does not check them either; exact duplicates are ignored by the primary key.
 */
export async function recordLoggedModelMetrics(
  trx: Kysely<Database>,
  runUuid: string,
  metrics: readonly Metric[],
): Promise<void> {
  const withModel = metrics.filter((m) => m.model_id !== undefined && m.model_id !== '')
  if (withModel.length === 0) return
  const publicIds = [...new Set(withModel.map((m) => m.model_id as string))]
  const ids = new Map<string, number>()
  for (const part of chunks(publicIds)) {
    const rows = await trx
      .selectFrom('logged_models')
      .select(['id', 'model_id'])
      .where('model_id', 'in', part)
      .execute()
    for (const r of rows) ids.set(r.model_id, r.id)
  }
  const rows = withModel.flatMap((m) => {
    const modelId = ids.get(m.model_id as string)
    if (modelId === undefined) return []
    const nan = Number.isNaN(m.value)
    return [
      {
        model_id: modelId,
        key: m.key,
        value: nan ? 0 : m.value,
        is_nan: nan ? 1 : 0,
        timestamp: m.timestamp,
        step: m.step,
        run_id: runUuid,
        dataset_name: m.dataset_name ?? '',
        dataset_digest: m.dataset_digest ?? '',
      },
    ]
  })
  for (const part of chunks(rows, 200)) {
    await trx
      .insertInto('logged_model_metrics')
      .values(part)
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}
