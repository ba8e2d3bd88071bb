import { isMlflowError } from '@logbook/core'
import { LogbookClient, configFromEnv } from '@logbook/sdk'
import { logRun, type ExperimentPlan, type RunPlan } from './demo-run.ts'
import { planHousePrices } from './house-prices.ts'
import { planLlmEval } from './llm-eval.ts'
import { MNIST_LIVE, MNIST_SHOWCASE, planMnist } from './mnist.ts'
import { Rng, pool } from './random.ts'
import { CLASSIFIER, REGRESSOR, registerDemoModels, type DemoModels } from './demo-models.ts'

/** How much the demo logs: 'small' (a dozen runs, seconds; the UI e2e tests) or 'full' (hundreds). */
export type DemoScale = 'small' | 'full'

/** One seeded experiment with the ids of all its runs (sweep parents and children included). */
export interface DemoExperiment {
  id: string
  name: string
  runIds: string[]
  /** Run name to run id (names are unique within an experiment). */
  runsByName: Record<string, string>
}

/** What `seedDemo` created, so tests and the CLI can point at it. */
export interface DemoSummary {
  trackingUri: string
  scale: DemoScale
  experiments: DemoExperiment[]
  /** Every run logged, including the soft-deleted ones. */
  runCount: number
  /** Runs soft-deleted after logging (visible with "deleted" view types only). */
  deletedRunIds: string[]
  /** A hyper-parameter sweep: parent run and its children (tag mlflow.parentRunId). */
  sweep: { experimentId: string; parentRunId: string; childRunIds: string[] }
  /** Runs worth a direct link. */
  runs: {
    /** mnist-cnn run with every artifact type (PNG, SVG, CSV, JSON, YAML, log, HTML). */
    showcase: string
    /** Still RUNNING. */
    running: string
    /** FAILED after its loss went NaN. */
    failed: string
    /** KILLED by its user. */
    killed: string
    /** house-prices run with an MLflow 2 style `model/` folder (MLmodel + model.pkl). */
    regression: string
    /** llm-eval run with text artifacts and an evaluation table. */
    llm: string
  }
  /** Artifact paths of the showcase run. */
  showcaseArtifacts: string[]
  /** Registered models: "demo-classifier" (3 versions, aliases, a Staging version) and a regressor. */
  models: DemoModels
  durationMs: number
}

const EXPERIMENTS = ['mnist-cnn', 'house-prices', 'llm-eval'] as const

/** Runs logged at once: enough to overlap HTTP round trips, few enough for one SQLite writer. */
const CONCURRENCY = 6

/** A client for `trackingUri` with MLflow's credential variables (a server started with --auth). */
function clientFor(trackingUri: string): LogbookClient {
  return new LogbookClient(configFromEnv({ ...process.env, LOGBOOK_TRACKING_URI: trackingUri }))
}

/** The store already uses a name the demo would create; nothing was written. */
export class DemoNameClashError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DemoNameClashError'
  }
}

/** Whether a lookup of something by name found it (false on RESOURCE_DOES_NOT_EXIST). */
async function exists(lookup: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookup()
    return true
  } catch (e) {
    if (isMlflowError(e) && e.code === 'RESOURCE_DOES_NOT_EXIST') return false
    throw e
  }
}

/** True when the store at `trackingUri` already holds the demo (its first experiment exists). */
export async function hasDemoData(trackingUri: string): Promise<boolean> {
  const client = clientFor(trackingUri)
  return exists(() => client.getExperimentByName(EXPERIMENTS[0]))
}

/** Names the demo would create that the store already uses (experiments, registered models). */
async function nameClashes(client: LogbookClient): Promise<string[]> {
  const model = (name: string) => () =>
    client.transport.json(
      'GET',
      `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(name)}`,
    )
  const checks = [
    ...EXPERIMENTS.map((name) => ({
      name: `experiment '${name}'`,
      lookup: () => client.getExperimentByName(name),
    })),
    ...[CLASSIFIER, REGRESSOR].map((name) => ({
      name: `registered model '${name}'`,
      lookup: model(name),
    })),
  ]
  const found = await Promise.all(checks.map((c) => exists(c.lookup)))
  return checks.filter((_, i) => found[i]).map((c) => c.name)
}

/** What the demo will log, relative to `now`; the same numbers on every call. */
export function planDemo(scale: DemoScale, now: number): ExperimentPlan[] {
  const rng = new Rng(20260127)
  return [
    planMnist(rng.fork(1), scale, now),
    planHousePrices(rng.fork(2), scale, now),
    planLlmEval(rng.fork(3), scale, now),
  ]
}

interface LoggedExperiment extends DemoExperiment {
  deleted: string[]
  parents: string[]
}

/**
 * Create the experiments in order (ids 1, 2, 3 on a fresh store), then log the stand-alone runs
 * and sweep parents of all of them, then all sweep children, CONCURRENCY runs at a time.
 */
async function logExperiments(
  client: LogbookClient,
  plans: ExperimentPlan[],
): Promise<LoggedExperiment[]> {
  const logged: LoggedExperiment[] = []
  for (const plan of plans) {
    const tags = Object.entries(plan.tags).map(([key, value]) => ({ key, value }))
    const id = await client.createExperiment(plan.name, { tags })
    logged.push({ id, name: plan.name, runIds: [], runsByName: {}, deleted: [], parents: [] })
  }
  const log = async (e: LoggedExperiment, p: RunPlan, parent?: string) => {
    const runId = await logRun(client, e.id, p, parent)
    e.runsByName[p.name] = runId
    e.runIds.push(runId)
    if (p.deleted) e.deleted.push(runId)
  }
  const first = plans.flatMap((plan, i) =>
    [...plan.runs, ...plan.sweeps.map((s) => s.parent)].map((p) => ({ e: logged[i]!, p })),
  )
  await pool(first, CONCURRENCY, ({ e, p }) => log(e, p))
  const children = plans.flatMap((plan, i) =>
    plan.sweeps.flatMap((s) =>
      s.children.map((p) => ({ e: logged[i]!, p, parent: s.parent.name })),
    ),
  )
  await pool(children, CONCURRENCY, ({ e, p, parent }) => log(e, p, e.runsByName[parent]))
  plans.forEach((plan, i) => {
    const e = logged[i]!
    e.parents = plan.sweeps.map((s) => e.runsByName[s.parent.name] as string)
  })
  return logged
}

function byStatus(
  plan: ExperimentPlan,
  ids: Record<string, string>,
  status: RunPlan['status'],
): string {
  const all = [...plan.runs, ...plan.sweeps.flatMap((s) => s.children)]
  const found = all.find((p) => p.status === status && !p.deleted)
  if (!found) throw new Error(`The demo plan of ${plan.name} has no ${status} run`)
  return ids[found.name] as string
}

/**
 * Fill an empty Logbook server with realistic demo data through its HTTP API, using the TypeScript
 * SDK (credentials from MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD). Deterministic apart from
 * ids and the current time. Rejects, before writing, if any demo experiment or model name is taken.
 */
export async function seedDemo(
  trackingUri: string,
  options: { scale?: DemoScale } = {},
): Promise<DemoSummary> {
  const began = Date.now()
  const scale = options.scale ?? 'full'
  const client = clientFor(trackingUri)
  // Refuse before writing anything, so a clash never leaves half a demo behind.
  const clashes = await nameClashes(client)
  if (clashes.length > 0) {
    throw new DemoNameClashError(
      `${trackingUri} already has ${clashes.join(', ')}; the demo needs these names free`,
    )
  }
  const experimentPlans = planDemo(scale, began)
  const [mnistPlan, housePlan, llmPlan] = experimentPlans as [
    ExperimentPlan,
    ExperimentPlan,
    ExperimentPlan,
  ]
  const logged = await logExperiments(client, experimentPlans)
  const [mnist, house, llm] = logged as [LoggedExperiment, LoggedExperiment, LoggedExperiment]
  const sweepPlan = mnistPlan.sweeps[0]
  if (!sweepPlan) throw new Error('The demo plan has no sweep')
  const sweep = {
    experimentId: mnist.id,
    parentRunId: mnist.parents[0] as string,
    childRunIds: sweepPlan.children.map((c) => mnist.runsByName[c.name] as string),
  }
  const models = await registerDemoModels(client, new Rng(7), {
    mnist,
    mnistPlan,
    house,
    housePlan,
  })
  const showcase = mnistPlan.runs.find((r) => r.name === MNIST_SHOWCASE)
  return {
    trackingUri,
    scale,
    experiments: logged.map(({ id, name, runIds, runsByName }) => ({
      id,
      name,
      runIds,
      runsByName,
    })),
    runCount: logged.reduce((n, e) => n + e.runIds.length, 0),
    deletedRunIds: logged.flatMap((e) => e.deleted),
    sweep,
    runs: {
      showcase: mnist.runsByName[MNIST_SHOWCASE] as string,
      running: mnist.runsByName[MNIST_LIVE] as string,
      failed: byStatus(mnistPlan, mnist.runsByName, 'FAILED'),
      killed: byStatus(mnistPlan, mnist.runsByName, 'KILLED'),
      regression: models.regressor.runId,
      llm: byStatus(llmPlan, llm.runsByName, 'FINISHED'),
    },
    showcaseArtifacts: (showcase?.artifacts ?? []).map((a) => a.path),
    models,
    durationMs: Date.now() - began,
  }
}
