import type { LogbookClient } from '@logbook/sdk'
import type { ExperimentPlan, RunPlan } from './demo-run.ts'
import { HOUSE_SHOWCASE } from './house-prices.ts'
import { MNIST_SHOWCASE } from './mnist.ts'
import type { Rng } from './random.ts'
import { logPytorchModel, registerModel } from './registry.ts'

export const CLASSIFIER = 'demo-classifier'
export const REGRESSOR = 'house-prices-regressor'

/** The registered models the demo creates. */
export interface DemoModels {
  classifier: {
    name: string
    /** Version numbers in creation order: "1", "2", "3". */
    versions: string[]
    /** Alias to version: champion -> "2", challenger -> "3". */
    aliases: Record<string, string>
    /** Version to stage: "1" Archived, "2" Production, "3" Staging. */
    stages: Record<string, string>
    stagingVersion: string
    /** MLflow 3 logged models behind the versions, in version order. */
    loggedModelIds: string[]
    /** Runs that produced the versions, in version order. */
    runIds: string[]
  }
  /** Registered from an MLflow 2 style run artifact folder (`runs:/<run>/model`). */
  regressor: { name: string; versions: string[]; runId: string }
}

interface Logged {
  id: string
  runsByName: Record<string, string>
}

const finalValue = (plan: RunPlan, key: string) =>
  plan.metrics.filter((m) => m.key === key).sort((a, b) => b.step - a.step)[0]?.value ?? NaN

/**
 * demo-classifier v1 (an early sweep trial, Archived), v2 (the baseline, Production, alias
 * champion) and v3 (the best trial, Staging, alias challenger); house-prices-regressor v1.
 */
export async function registerDemoModels(
  client: LogbookClient,
  rng: Rng,
  data: { mnist: Logged; mnistPlan: ExperimentPlan; house: Logged; housePlan: ExperimentPlan },
): Promise<DemoModels> {
  const trials = (data.mnistPlan.sweeps[0]?.children ?? []).filter((c) => c.status === 'FINISHED')
  const byAccuracy = [...trials].sort(
    (a, b) => finalValue(b, 'test_accuracy') - finalValue(a, 'test_accuracy'),
  )
  const showcase = data.mnistPlan.runs.find((r) => r.name === MNIST_SHOWCASE)
  const early = trials[0]
  const best = byAccuracy[0] === early ? byAccuracy[1] : byAccuracy[0]
  if (!showcase || !early || !best) throw new Error('The demo plan lacks runs to register')
  const chosen = [early, showcase, best]
  // The regressor's registration runs alongside the classifier's logged models.
  const regressorRun = data.house.runsByName[HOUSE_SHOWCASE] as string
  const registeringRegressor = registerModel(
    client,
    REGRESSOR,
    'XGBoost on the Ames housing data (sklearn flavor).',
    { task: 'regression' },
    [
      {
        source: `runs:/${regressorRun}/model`,
        runId: regressorRun,
        description: 'Tuned XGBoost, 5-fold CV.',
        tags: { validation_status: 'approved' },
        aliases: ['production'],
      },
    ],
  )
  const [models, regressor] = await Promise.all([
    Promise.all(
      chosen.map((plan) =>
        logPytorchModel(client, rng, {
          experimentId: data.mnist.id,
          runId: data.mnist.runsByName[plan.name] as string,
          params: Object.fromEntries(Object.entries(plan.params).map(([k, v]) => [k, String(v)])),
          metrics: [
            { key: 'test_accuracy', value: finalValue(plan, 'test_accuracy') },
            { key: 'val_loss', value: finalValue(plan, 'val_loss') },
          ],
          step: Number(plan.params.epochs) - 1,
          timestamp: plan.endTime,
        }),
      ),
    ),
    registeringRegressor,
  ])
  const [v1, v2, v3] = models.map((m) => m.info) as [
    (typeof models)[number]['info'],
    (typeof models)[number]['info'],
    (typeof models)[number]['info'],
  ]
  const source = (modelId: string) => `models:/${modelId}`
  const versions = await registerModel(
    client,
    CLASSIFIER,
    'Handwritten digit classifier (MNIST). **champion** serves production traffic; **challenger** is in shadow evaluation.',
    { task: 'image-classification', owner: 'ada', framework: 'pytorch' },
    [
      {
        source: source(v1.model_id),
        modelId: v1.model_id,
        runId: v1.source_run_id ?? '',
        description: 'First trial of sweep-lr-batch.',
        tags: { validation_status: 'superseded' },
        stage: 'Archived',
      },
      {
        source: source(v2.model_id),
        modelId: v2.model_id,
        runId: v2.source_run_id ?? '',
        description: 'Baseline CNN, 3 conv blocks.',
        tags: { validation_status: 'approved', approved_by: 'grace' },
        stage: 'Production',
        aliases: ['champion'],
      },
      {
        source: source(v3.model_id),
        modelId: v3.model_id,
        runId: v3.source_run_id ?? '',
        description: 'Best trial of sweep-lr-batch.',
        tags: { validation_status: 'pending' },
        stage: 'Staging',
        aliases: ['challenger'],
      },
    ],
  )
  return {
    classifier: {
      name: CLASSIFIER,
      versions: versions.map((v) => v.version),
      aliases: Object.fromEntries(
        versions.flatMap((v) => (v.aliases ?? []).map((a) => [a, v.version])),
      ),
      stages: Object.fromEntries(versions.map((v) => [v.version, v.current_stage])),
      stagingVersion: versions.find((v) => v.current_stage === 'Staging')?.version ?? '',
      loggedModelIds: models.map((m) => m.info.model_id),
      runIds: chosen.map((p) => data.mnist.runsByName[p.name] as string),
    },
    regressor: { name: REGRESSOR, versions: regressor.map((v) => v.version), runId: regressorRun },
  }
}
