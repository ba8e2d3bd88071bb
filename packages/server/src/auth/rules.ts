/**
 * The one table of who may call what (docs/decisions/0005). Every route the app registers has an
 * entry here, written with the same method and path pattern; a route without one is refused, and
 * auth/route-coverage.test.ts fails. Levels follow MLflow: read READ, write EDIT, delete/manage MANAGE.
 */
import type { PermissionName } from '@logbook/store'
import * as r from './resolvers.ts'

/** What happens after a successful handler (creator grants, renames). */
export type AfterHook =
  | 'grant-experiment-creator'
  | 'grant-model-creator'
  | 'rename-model-grants'
  | 'delete-model-grants'
  | 'upload-part-credentials'

export type Rule =
  | { access: 'public' }
  | { access: 'authenticated'; after?: AfterHook }
  | { access: 'admin' }
  /** Authorization is inside the handler (users, permissions and token routes). */
  | { access: 'handler' }
  | { access: 'resource'; level: PermissionName; resolve: r.Resolver; alsoRead?: r.Resolver; after?: AfterHook }
  /** Cut `experiment_ids` of the request to readable ones (runs, logged models). */
  | { access: 'filter-experiment-ids' }
  /** Drop unreadable rows from a search response and refill the page. */
  | { access: 'filter-response'; list: string; type: 'experiment' | 'registered_model'; key: 'experiment_id' | 'name' }

export interface RuleEntry {
  method: string
  path: string
  rule: Rule
}

const API = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']
const API3 = ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']
const LOGBOOK = ['/api/2.0/logbook', '/ajax-api/2.0/logbook']
const ARTIFACTS = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']

const entries: RuleEntry[] = []
function add(prefixes: string[], method: string, path: string, rule: Rule): void {
  for (const prefix of prefixes) entries.push({ method, path: `${prefix}${path}`, rule })
}
const need = (level: PermissionName, resolve: r.Resolver, more: Partial<Omit<Extract<Rule, { access: 'resource' }>, 'access'>> = {}): Rule => ({
  access: 'resource',
  level,
  resolve,
  ...more,
})
const READ = (resolve: r.Resolver) => need('READ', resolve)
const EDIT = (resolve: r.Resolver) => need('EDIT', resolve)
const MANAGE = (resolve: r.Resolver) => need('MANAGE', resolve)

// Service routes.
add([''], 'GET', '/health', { access: 'public' })
add([''], 'GET', '/version', { access: 'public' })
add(API3, 'GET', '/server-info', { access: 'authenticated' })

// Experiments.
add(API, 'POST', '/experiments/create', { access: 'authenticated', after: 'grant-experiment-creator' })
add(API, 'GET', '/experiments/get', READ(r.experimentField))
add(API, 'GET', '/experiments/get-by-name', READ(r.experimentName))
for (const m of ['GET', 'POST']) {
  add(API, m, '/experiments/search', { access: 'filter-response', list: 'experiments', type: 'experiment', key: 'experiment_id' })
}
add(API, 'POST', '/experiments/update', EDIT(r.experimentField))
add(API, 'POST', '/experiments/delete', MANAGE(r.experimentField))
add(API, 'POST', '/experiments/restore', MANAGE(r.experimentField))
add(API, 'POST', '/experiments/set-experiment-tag', EDIT(r.experimentField))
add(API, 'POST', '/experiments/delete-experiment-tag', EDIT(r.experimentField))

// Runs and metrics (the run's experiment).
add(API, 'POST', '/runs/create', EDIT(r.runCreateExperiment))
add(API, 'GET', '/runs/get', READ(r.runField))
for (const p of ['/runs/update', '/runs/log-metric', '/runs/log-parameter', '/runs/set-tag', '/runs/delete-tag', '/runs/log-batch', '/runs/log-inputs', '/runs/outputs']) {
  add(API, 'POST', p, EDIT(r.runField))
}
add(API, 'POST', '/runs/delete', MANAGE(r.runField))
add(API, 'POST', '/runs/restore', MANAGE(r.runField))
add(API, 'POST', '/runs/search', { access: 'filter-experiment-ids' })
add(API, 'GET', '/metrics/get-history', READ(r.runField))
add(API, 'GET', '/metrics/get-history-bulk-interval', READ(r.runIdsField))

// Logged models (their experiment).
add(API, 'POST', '/logged-models', EDIT(r.experimentField))
add(API, 'POST', '/logged-models/search', { access: 'filter-experiment-ids' })
add(API, 'GET', '/logged-models/:model_id', READ(r.loggedModelParam))
add(API, 'PATCH', '/logged-models/:model_id', EDIT(r.loggedModelParam))
add(API, 'DELETE', '/logged-models/:model_id', MANAGE(r.loggedModelParam))
add(API, 'PATCH', '/logged-models/:model_id/tags', EDIT(r.loggedModelParam))
add(API, 'DELETE', '/logged-models/:model_id/tags/:tag_key{.+}', EDIT(r.loggedModelParam))
add(API, 'POST', '/logged-models/:model_id/params', EDIT(r.loggedModelParam))
add(API, 'GET', '/logged-models/:model_id/artifacts/directories', READ(r.loggedModelParam))
add(API, 'GET', '/logged-models/:model_id/artifacts/files', READ(r.loggedModelParam))

// Registry (the registered model).
add(API, 'POST', '/registered-models/create', { access: 'authenticated', after: 'grant-model-creator' })
add(API, 'GET', '/registered-models/get', READ(r.modelName))
add(API, 'POST', '/registered-models/rename', need('EDIT', r.modelName, { after: 'rename-model-grants' }))
add(API, 'PATCH', '/registered-models/update', EDIT(r.modelName))
add(API, 'DELETE', '/registered-models/delete', need('MANAGE', r.modelName, { after: 'delete-model-grants' }))
add(API, 'GET', '/registered-models/search', { access: 'filter-response', list: 'registered_models', type: 'registered_model', key: 'name' })
for (const m of ['GET', 'POST']) add(API, m, '/registered-models/get-latest-versions', READ(r.modelName))
add(API, 'POST', '/registered-models/set-tag', EDIT(r.modelName))
add(API, 'DELETE', '/registered-models/delete-tag', EDIT(r.modelName))
add(API, 'POST', '/registered-models/alias', EDIT(r.modelName))
add(API, 'DELETE', '/registered-models/alias', EDIT(r.modelName))
add(API, 'GET', '/registered-models/alias', READ(r.modelName))
add(API, 'POST', '/model-versions/create', need('EDIT', r.modelName, { alsoRead: r.versionSources }))
add(API, 'GET', '/model-versions/get', READ(r.modelName))
add(API, 'PATCH', '/model-versions/update', EDIT(r.modelName))
add(API, 'DELETE', '/model-versions/delete', MANAGE(r.modelName))
add(API, 'POST', '/model-versions/transition-stage', EDIT(r.modelName))
add(API, 'GET', '/model-versions/search', { access: 'filter-response', list: 'model_versions', type: 'registered_model', key: 'name' })
add(API, 'GET', '/model-versions/get-download-uri', READ(r.modelName))
add(API, 'POST', '/model-versions/set-tag', EDIT(r.modelName))
add(API, 'DELETE', '/model-versions/delete-tag', EDIT(r.modelName))

// Artifacts: proxy paths start with the experiment id; deleting needs MANAGE (MLflow CVE-2024-4263).
add(ARTIFACTS, 'GET', '/artifacts', READ(r.proxyListing))
add(ARTIFACTS, 'GET', '/artifacts/*', READ(r.proxyTail('/artifacts')))
add(ARTIFACTS, 'PUT', '/artifacts/*', EDIT(r.proxyTail('/artifacts')))
add(ARTIFACTS, 'DELETE', '/artifacts/*', MANAGE(r.proxyTail('/artifacts')))
add(ARTIFACTS, 'POST', '/mpu/create/*', need('EDIT', r.proxyTail('/mpu/create'), { after: 'upload-part-credentials' }))
add(ARTIFACTS, 'PUT', '/mpu/part/*', EDIT(r.proxyPart))
add(ARTIFACTS, 'POST', '/mpu/complete/*', EDIT(r.proxyTail('/mpu/complete')))
add(ARTIFACTS, 'POST', '/mpu/abort/*', EDIT(r.proxyTail('/mpu/abort')))
add(API, 'GET', '/artifacts/list', READ(r.runQuery))
add([''], 'GET', '/get-artifact', READ(r.runQuery))
add([''], 'GET', '/model-versions/get-artifact', READ(r.modelQuery))

// Logbook's own routes: gc, and the UI's support routes (routes/ui-support.ts).
add(LOGBOOK, 'POST', '/gc', { access: 'admin' })
add(LOGBOOK, 'POST', '/runs/table', { access: 'filter-experiment-ids' })
add(LOGBOOK, 'POST', '/runs/groups', { access: 'filter-experiment-ids' })
add(LOGBOOK, 'GET', '/experiments/keys', { access: 'filter-experiment-ids' })
add(LOGBOOK, 'POST', '/metrics/sampled', READ(r.runIdsField))
add(LOGBOOK, 'POST', '/runs/log-metrics', EDIT(r.runQuery))

// Users, permissions, tokens, sessions: each handler checks who may act on whom.
for (const [m, p] of [
  ['POST', '/users/create'],
  ['GET', '/users/get'],
  ['GET', '/users/list'],
  ['GET', '/users/current'],
  ['PATCH', '/users/update-password'],
  ['PATCH', '/users/update-admin'],
  ['DELETE', '/users/delete'],
  ...['experiments', 'registered-models'].flatMap((k) => [
    ['POST', `/${k}/permissions/create`],
    ['GET', `/${k}/permissions/get`],
    ['PATCH', `/${k}/permissions/update`],
    ['DELETE', `/${k}/permissions/delete`],
  ]),
] as const) {
  add(API, m, p, { access: 'handler' })
}
for (const [m, p] of [
  ['POST', '/users/permissions/grant'],
  ['POST', '/users/permissions/revoke'],
  ['GET', '/users/permissions/get'],
] as const) {
  add(API3, m, p, { access: 'handler' })
}
add(LOGBOOK, 'POST', '/tokens/create', { access: 'authenticated' })
add(LOGBOOK, 'GET', '/tokens/list', { access: 'authenticated' })
add(LOGBOOK, 'POST', '/tokens/revoke', { access: 'authenticated' })
add(LOGBOOK, 'POST', '/auth/login', { access: 'public' })
add(LOGBOOK, 'POST', '/auth/logout', { access: 'public' })
add(LOGBOOK, 'GET', '/auth/whoami', { access: 'public' })

/** Every rule, in registration order. */
export const RULES: readonly RuleEntry[] = entries
