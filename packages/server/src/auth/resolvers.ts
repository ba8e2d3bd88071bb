/**
 * Resource resolvers: which experiment or registered model a request acts on. Each reads the id the
 * way its handler does (same field precedence, the raw artifact path through the same
 * `safeArtifactPath`), so the checked resource is the used one.
 */
import type { Context } from 'hono'
import { parseArtifactUri, safeArtifactPath, type SafePath } from '@logbook/artifacts'
import { invalidParam, parseModelVersionSource } from '@logbook/core'
import type { LogbookStore } from '@logbook/store'
import { rawTarget } from '../routes/artifact-http.ts'

/** What a request needs permission on; `admin` when it names nothing a non-admin may reach. */
export type Resource = { type: 'experiment'; id: string } | { type: 'registered_model'; name: string } | { type: 'admin' }

/** Everything a resolver may read. `message()` is the parsed request (query or JSON), read once. */
export interface RuleInput {
  c: Context
  store: LogbookStore
  params: Record<string, string>
  message(): Promise<Record<string, unknown>>
}

/** Resources a request touches; undefined when the resource does not exist (the handler answers 404). */
export type Resolver = (input: RuleInput) => Promise<Resource[] | undefined>

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : Array.isArray(v) ? str(v[0]) : undefined)
const experiment = (id: string): Resource => ({ type: 'experiment', id })
const model = (name: string): Resource => ({ type: 'registered_model', name })

/** Experiment ids as the store writes them: canonical decimals only. */
const CANONICAL_ID = /^(0|[1-9][0-9]{0,17})$/

/** `experiment_id` of the message (body or query). */
export const experimentField: Resolver = async ({ message }) => {
  const id = str((await message()).experiment_id)
  return id === undefined ? undefined : [experiment(id)]
}

/** runs/create: an absent `experiment_id` means the Default experiment "0", as in the store. */
export const runCreateExperiment: Resolver = async ({ message }) => [experiment(str((await message()).experiment_id) ?? '0')]

/** `experiment_name` (get-by-name): a missing name is the handler's 404, which clients rely on. */
export const experimentName: Resolver = async ({ message, store }) => {
  const name = str((await message()).experiment_name)
  const id = name === undefined ? undefined : await store.experimentIdByName(name)
  return id === undefined ? undefined : [experiment(id)]
}

async function runResource(store: LogbookStore, runId: string | undefined): Promise<Resource[] | undefined> {
  const id = runId === undefined ? undefined : await store.experimentOfRun(runId)
  return id === undefined ? undefined : [experiment(id)]
}

/** `run_id`, else the legacy `run_uuid`, as `runIdOf` in the run routes. */
export const runField: Resolver = async ({ message, store }) => {
  const m = await message()
  return runResource(store, str(m.run_id) ?? str(m.run_uuid))
}

/** Query `run_id`/`run_uuid` of the download routes (first non-empty, as their handler). */
export const runQuery: Resolver = ({ c, store }) => runResource(store, c.req.query('run_id') || c.req.query('run_uuid') || undefined)

/** Every run of `run_ids` (bulk metric history); unknown runs have no data to protect. */
export const runIdsField: Resolver = async ({ message, store }) => {
  const raw = (await message()).run_ids
  const ids = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')
  const out: Resource[] = []
  for (const id of new Set(ids)) out.push(...((await runResource(store, id)) ?? []))
  return out
}

/** `:model_id` path parameter of logged-model routes. */
export const loggedModelParam: Resolver = async ({ params, store }) => {
  const id = params.model_id === undefined ? undefined : await store.experimentOfLoggedModel(params.model_id)
  return id === undefined ? undefined : [experiment(id)]
}

/** Registered model `name` of the message. */
export const modelName: Resolver = async ({ message }) => {
  const name = str((await message()).name)
  return name === undefined ? undefined : [model(name)]
}

/** Registered model `name` of the query (model-version downloads). */
export const modelQuery: Resolver = ({ c }) => {
  const name = c.req.query('name')
  return Promise.resolve(name ? [model(name)] : undefined)
}

/** An artifact path's experiment: its first segment, when that is a canonical experiment id. */
export function experimentOfPath(path: SafePath): Resource {
  const first = path.split('/')[0] ?? ''
  return CANONICAL_ID.test(first) ? experiment(first) : { type: 'admin' }
}

/** The raw tail after `<prefix>/<route>/` of the request target, as the proxy cuts it. */
function rawTail(c: Context, route: string): string {
  const target = rawTarget(c)
  if (target.includes('#')) throw invalidParam('Invalid path')
  const q = target.indexOf('?')
  const path = target.slice(0, q === -1 ? undefined : q)
  for (const prefix of ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']) {
    const head = `${prefix}${route}`
    if (path === head) return ''
    if (path.startsWith(`${head}/`)) return path.slice(head.length + 1)
  }
  throw invalidParam('Invalid path')
}

/** Proxy routes whose URL tail is the artifact path (`artifacts/*`, `mpu/create|complete|abort/*`). */
export const proxyTail =
  (route: string): Resolver =>
  ({ c }) =>
    Promise.resolve([experimentOfPath(safeArtifactPath(rawTail(c, route)))])

/** `mpu/part/<upload>/<n>/<path>`. */
export const proxyPart: Resolver = ({ c }) => {
  const rest = rawTail(c, '/mpu/part').split('/').slice(2).join('/')
  return Promise.resolve([experimentOfPath(safeArtifactPath(rest))])
}

/** The proxy listing's raw `?path=`; the root names no experiment. */
export const proxyListing: Resolver = ({ c }) => {
  const target = rawTarget(c)
  const q = target.indexOf('?')
  let raw = ''
  if (q !== -1) {
    for (const pair of target.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=')
      if ((eq === -1 ? pair : pair.slice(0, eq)) === 'path') {
        raw = eq === -1 ? '' : pair.slice(eq + 1).replaceAll('+', '%20')
        break
      }
    }
  }
  return Promise.resolve([experimentOfPath(safeArtifactPath(raw))])
}

/**
 * A new model version: EDIT on the registered model is checked by the rule; these are the run and
 * the source it copies from, which must be readable (MLflow's confused-deputy gap: a version pointing at
 * another team's artifacts would let its readers download them).
 */
export const versionSources: Resolver = async ({ message, store }) => {
  const m = await message()
  const out: Resource[] = []
  const runId = str(m.run_id)
  if (runId !== undefined) out.push(...((await runResource(store, runId)) ?? []))
  const source = str(m.source)
  if (source === undefined) return out
  let parsed
  try {
    parsed = parseModelVersionSource(source)
  } catch {
    return out // the handler rejects the source with its own 400
  }
  if (parsed.kind === 'run') out.push(...((await runResource(store, parsed.runId)) ?? []))
  else if (parsed.kind === 'logged-model') {
    const id = await store.experimentOfLoggedModel(parsed.modelId)
    if (id !== undefined) out.push(experiment(id))
  } else if (parsed.kind === 'model-version') out.push(model(parsed.name))
  else out.push(experimentOfPath(parseArtifactUri(parsed.uri)))
  return out
}
