import { z } from 'zod'
import { bool, int64, keyValue, optString, repeated, reqString } from './fields.ts'

/** Request schemas of MLflow's model-registry routes; field names and optionality follow the protos. */

/** A version number travels as a string; Java and Go clients may send a number. */
const version = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v))
const tags = z.array(keyValue).optional()
const search = {
  filter: optString,
  max_results: int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: optString,
}

export const createRegisteredModel = z.object({
  name: reqString,
  tags,
  description: optString,
  deployment_job_id: optString,
})
export const renameRegisteredModel = z.object({ name: reqString, new_name: reqString })
export const updateRegisteredModel = z.object({
  name: reqString,
  description: optString,
  deployment_job_id: optString,
})
export const registeredModelName = z.object({ name: reqString })
export const searchRegisteredModels = z.object(search)
export const getLatestVersions = z.object({
  name: reqString,
  stages: repeated(z.string()).optional(),
})
export const setRegisteredModelTag = z.object({
  name: reqString,
  key: reqString,
  value: z.string().nullish(),
})
export const deleteRegisteredModelTag = z.object({ name: reqString, key: reqString })

export const createModelVersion = z.object({
  name: reqString,
  source: reqString,
  run_id: optString,
  tags,
  run_link: optString,
  description: optString,
  model_id: optString,
})
export const modelVersionRef = z.object({ name: reqString, version })
export const updateModelVersion = z.object({ name: reqString, version, description: optString })
export const transitionModelVersionStage = z.object({
  name: reqString,
  version,
  stage: reqString,
  archive_existing_versions: bool.optional(),
})
export const searchModelVersions = z.object(search)
export const setModelVersionTag = z.object({
  name: reqString,
  version,
  key: reqString,
  value: z.string().nullish(),
})
export const deleteModelVersionTag = z.object({ name: reqString, version, key: reqString })

export const setRegisteredModelAlias = z.object({ name: reqString, alias: reqString, version })
export const registeredModelAlias = z.object({ name: reqString, alias: reqString })

export type CreateModelVersionRequest = z.output<typeof createModelVersion>
