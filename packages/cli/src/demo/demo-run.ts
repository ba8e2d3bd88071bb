import type { Dataset, Metric } from '@logbook/core'
import { Run, startRun, type LogbookClient, type Scalar } from '@logbook/sdk'
import type { Rng } from './random.ts'

/** Final state of a planned run; RUNNING runs are left open. */
export type DemoRunStatus = 'FINISHED' | 'FAILED' | 'KILLED' | 'RUNNING'

/** Everything one demo run logs, computed up front so concurrent logging stays deterministic. */
export interface RunPlan {
  name: string
  user: string
  startTime: number
  endTime: number
  status: DemoRunStatus
  params: Record<string, Scalar>
  tags: Record<string, string>
  metrics: Omit<Metric, 'run_id'>[]
  datasets?: { dataset: Dataset; context: string }[]
  /** Files to upload; `data` gets the new run's id (MLmodel files name it). */
  artifacts?: { path: string; data: (runId: string) => Uint8Array | string }[]
  /** Soft-delete the run after logging (it shows under "deleted" in the UI). */
  deleted?: boolean
}

/** The people who "ran" the demo experiments. */
export const USERS = ['ada', 'grace', 'alan', 'katherine'] as const

/** Tags MLflow's Python client sets on every run it starts from a script in a git checkout. */
export function sourceTags(
  rng: Rng,
  script: string,
  user: string,
  commit: string,
): Record<string, string> {
  return {
    'mlflow.user': user,
    'mlflow.source.name': script,
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.git.commit': commit,
    'mlflow.source.git.branch': rng.pick(['main', 'main', 'main', 'feat/augment', 'exp/sweeps']),
    'mlflow.source.git.repoURL': 'git@github.com:example-org/ml-playground.git',
  }
}

/** Append one series: `values[i]` at step `steps[i]`, timestamps spread from `start` to `end`. */
export function series(
  out: Omit<Metric, 'run_id'>[],
  key: string,
  values: number[],
  start: number,
  end: number,
  steps: number[] = values.map((_, i) => i),
): void {
  const span = Math.max(1, values.length - 1)
  values.forEach((value, i) => {
    out.push({
      key,
      value,
      step: steps[i] ?? i,
      timestamp: Math.round(start + ((end - start) * i) / span),
    })
  })
}

/**
 * Log one planned run through the SDK and return its id. Finished runs are created with their
 * historical start time through the low-level client and wrapped in the SDK's fluent `Run`; live
 * (RUNNING) runs start now through `startRun`, as a training script would.
 */
export async function logRun(
  client: LogbookClient,
  experimentId: string,
  plan: RunPlan,
  parentRunId?: string,
): Promise<string> {
  const tags: Record<string, string> = { ...plan.tags, 'mlflow.runName': plan.name }
  if (parentRunId !== undefined) tags['mlflow.parentRunId'] = parentRunId
  let run: Run
  if (plan.status === 'RUNNING') {
    run = await startRun({
      client,
      experiment: { id: experimentId },
      name: plan.name,
      user: plan.user,
      tags,
    })
  } else {
    const created = await client.createRun({
      experimentId,
      runName: plan.name,
      userId: plan.user,
      startTime: plan.startTime,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    })
    run = new Run(client, created.info)
  }
  await run.logParams(plan.params)
  // A live run's points carry the time they are logged, as they would from a training loop.
  const live = plan.status === 'RUNNING'
  for (const m of plan.metrics) {
    run.logMetric(
      m.key,
      m.value,
      live ? { step: m.step } : { step: m.step, timestamp: m.timestamp },
    )
  }
  // Inputs and files go up side by side while the metric queue drains in the background.
  await Promise.all([
    ...(plan.datasets ?? []).map((d) => run.logInput(d.dataset, { context: d.context })),
    ...(plan.artifacts ?? []).map((a) => run.logArtifact(a.data(run.id), a.path)),
  ])
  if (plan.status === 'RUNNING') {
    await run.flush()
  } else {
    await run.end({ status: plan.status })
    // end() stamps "now"; the demo's runs ended in the past.
    await client.updateRun(run.id, { endTime: plan.endTime })
  }
  if (plan.deleted) await client.deleteRun(run.id)
  return run.id
}

/** One demo experiment: its tags, stand-alone runs and hyper-parameter sweeps (parent + children). */
export interface ExperimentPlan {
  name: string
  tags: Record<string, string>
  runs: RunPlan[]
  sweeps: { parent: RunPlan; children: RunPlan[] }[]
}

/** Durations in milliseconds. */
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
