import { z } from 'zod'
import { bool, int64, keyValue, optString, repeated, reqString } from './fields.ts'
import { LOGGED_MODEL_STATUSES, type LoggedModelStatus } from './model-entities.ts'

/** Request schemas of MLflow 3's logged-model routes; path ids are merged into the body first. */

/** LoggedModelStatus by name or by proto number (0-based); UNSPECIFIED is not a final state. */
const finalStatus = z
  .union([z.enum(LOGGED_MODEL_STATUSES), z.number().int()])
  .transform((v, ctx): LoggedModelStatus => {
    const name = typeof v === 'number' ? LOGGED_MODEL_STATUSES[v] : v
    if (name === undefined || name === 'LOGGED_MODEL_STATUS_UNSPECIFIED') {
      ctx.addIssue({ code: 'custom', message: 'not a final status', input: v })
      return z.NEVER
    }
    return name
  })

export const createLoggedModel = z.object({
  experiment_id: reqString,
  name: optString,
  model_type: optString,
  source_run_id: optString,
  params: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
})
export const loggedModelRef = z.object({ model_id: reqString })
export const getLoggedModel = z.object({ model_id: reqString, allow_deleted: bool.optional() })
export const finalizeLoggedModel = z.object({ model_id: reqString, status: finalStatus })
export const setLoggedModelTags = z.object({
  model_id: reqString,
  tags: z.array(keyValue).optional(),
})
export const deleteLoggedModelTag = z.object({ model_id: reqString, tag_key: reqString })
export const logLoggedModelParams = z.object({
  model_id: reqString,
  params: z.array(keyValue).optional(),
})
export const searchLoggedModels = z.object({
  experiment_ids: repeated(z.string()),
  filter: optString,
  datasets: z.array(z.object({ dataset_name: reqString, dataset_digest: optString })).optional(),
  max_results: int64.optional(),
  order_by: z
    .array(
      z.object({
        field_name: reqString,
        ascending: bool.optional(),
        dataset_name: optString,
        dataset_digest: optString,
      }),
    )
    .optional(),
  page_token: optString,
})
export const listLoggedModelArtifacts = z.object({
  model_id: reqString,
  artifact_directory_path: optString,
  page_token: optString,
})

export type SearchLoggedModelsRequest = z.output<typeof searchLoggedModels>
