import { scatterPng } from './charts.ts'
import {
  DAY,
  HOUR,
  MINUTE,
  USERS,
  series,
  sourceTags,
  type ExperimentPlan,
  type RunPlan,
} from './demo-run.ts'
import { fakeWeights } from './registry.ts'
import { sig, type Rng } from './random.ts'
import { barChartSvg, htmlReport, mlmodelYaml, modelEnvironment, toCsv } from './text-files.ts'

/** Name of the house-prices run that logs a model folder MLflow 2 style (`model/MLmodel`). */
export const HOUSE_SHOWCASE = 'xgb-tuned'

const FEATURES = [
  'OverallQual',
  'GrLivArea',
  'GarageCars',
  'TotalBsmtSF',
  'YearBuilt',
  'FullBath',
  'LotArea',
  'Neighborhood',
  'KitchenQual',
  'Fireplaces',
]

const AMES = {
  name: 'ames-housing',
  digest: 'e41d9a07',
  source_type: 'http',
  source: JSON.stringify({
    url: 'https://www.kaggle.com/competitions/house-prices-advanced-regression-techniques/data/train.csv',
  }),
  schema: JSON.stringify({
    mlflow_colspec: FEATURES.map((name) => ({
      type: name === 'Neighborhood' || name === 'KitchenQual' ? 'string' : 'long',
      name,
      required: true,
    })),
  }),
  profile: JSON.stringify({ num_rows: 1460, num_elements: 118260 }),
}

type ModelType = 'xgboost' | 'lightgbm' | 'random_forest' | 'ridge' | 'elastic_net'
const BOOSTED: ModelType[] = ['xgboost', 'lightgbm']
const FLOOR: Record<ModelType, number> = {
  xgboost: 0.118,
  lightgbm: 0.121,
  random_forest: 0.139,
  ridge: 0.131,
  elastic_net: 0.129,
}

function params(rng: Rng, model: ModelType): Record<string, string | number> {
  const common = {
    model_type: model,
    features: rng.pick(['all', 'top-40', 'top-80']),
    target_transform: rng.pick(['log1p', 'log1p', 'none']),
    cv_folds: 5,
  }
  if (BOOSTED.includes(model)) {
    return {
      ...common,
      n_estimators: rng.pick([300, 500, 800, 1200]),
      max_depth: rng.int(3, 8),
      learning_rate: rng.pick([0.01, 0.03, 0.05, 0.1]),
      subsample: rng.pick([0.7, 0.8, 1]),
    }
  }
  if (model === 'random_forest')
    return {
      ...common,
      n_estimators: rng.pick([200, 500]),
      max_depth: rng.pick([12, 20, 30]),
      min_samples_leaf: rng.int(1, 4),
    }
  return {
    ...common,
    alpha: sig(10 ** rng.uniform(-3, 1), 2),
    ...(model === 'elastic_net' ? { l1_ratio: rng.pick([0.1, 0.5, 0.9]) } : {}),
  }
}

/** Artifacts of the showcase regression run, including MLflow 2's `model/` folder. */
function regressionArtifacts(
  rng: Rng,
  rmse: number,
  start: number,
): NonNullable<RunPlan['artifacts']> {
  const actual = Array.from({ length: 120 }, () => Math.round(Math.exp(rng.normal(12.02, 0.38))))
  const predicted = actual.map((a) => Math.round(a * Math.exp(rng.normal(0, rmse))))
  const importance = FEATURES.map((label, i) => ({
    label,
    value: sig(0.32 * 0.72 ** i * rng.uniform(0.85, 1.15), 3),
  }))
  const weights = fakeWeights(rng, 8000)
  const env = modelEnvironment(['scikit-learn==1.5.2', 'xgboost==2.1.1', 'pandas==2.2.3'])
  return [
    {
      path: 'predictions.csv',
      data: () =>
        toCsv(
          ['Id', 'SalePrice', 'Predicted'],
          actual.map((a, i) => [1461 + i, a, predicted[i] ?? a]),
        ),
    },
    {
      path: 'plots/predicted_vs_actual.png',
      data: () => scatterPng('Predicted vs actual sale price', actual, predicted),
    },
    {
      path: 'plots/feature_importance.svg',
      data: () => barChartSvg('Feature importance (gain)', importance),
    },
    {
      path: 'report.html',
      data: () =>
        htmlReport(
          'House prices: validation report',
          'Gradient boosting on the Ames housing data, 5-fold cross-validation.',
          [
            {
              heading: 'Scores',
              rows: [
                ['RMSE (log price)', rmse],
                ['R²', sig(1 - rmse * 1.1, 3)],
              ],
            },
            {
              heading: 'Top features',
              rows: importance.slice(0, 5).map((f) => [f.label, f.value]),
            },
          ],
        ),
    },
    {
      path: 'model/MLmodel',
      data: (runId) =>
        mlmodelYaml({
          flavor: 'sklearn',
          artifactPath: 'model',
          runId,
          createdAt: start + 20 * MINUTE,
          sizeBytes: weights.length,
          inputs: JSON.stringify(
            FEATURES.map((name) => ({ type: 'double', name, required: true })),
          ),
          outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]',
        }),
    },
    { path: 'model/model.pkl', data: () => weights },
    { path: 'model/conda.yaml', data: () => env.conda },
    { path: 'model/python_env.yaml', data: () => env.pythonEnv },
    { path: 'model/requirements.txt', data: () => env.requirements },
  ]
}

function regressionRun(
  rng: Rng,
  name: string,
  model: ModelType,
  start: number,
  commit: string,
): RunPlan {
  const p = params(rng, model)
  const boosted = BOOSTED.includes(model)
  const rounds = boosted ? Number(p.n_estimators) : 0
  const duration =
    Math.round((boosted ? rounds * 0.35 : 12) * 1000 * rng.uniform(0.8, 1.3)) + MINUTE
  const end = start + duration
  const lr = Number(p.learning_rate ?? 0.05)
  const finalRmse = sig(
    FLOOR[model] * rng.uniform(1, 1.12) * (p.target_transform === 'none' ? 1.08 : 1),
    4,
  )
  const metrics: RunPlan['metrics'] = []
  if (boosted) {
    const steps = Array.from({ length: Math.ceil(rounds / 10) }, (_, i) => i * 10)
    const curve = (floor: number, overfit: number) =>
      steps.map((s) =>
        sig(
          floor +
            (0.4 - floor) * Math.exp((-s * lr) / 3) +
            overfit * Math.max(0, s - 2 / lr) * 1e-5 +
            rng.normal(0, 0.0015),
          4,
        ),
      )
    series(metrics, 'train_rmse', curve(finalRmse * 0.55, 0), start, end, steps)
    series(
      metrics,
      'val_rmse',
      curve(finalRmse, Number(p.max_depth) > 6 ? 1 : 0),
      start,
      end,
      steps,
    )
  } else {
    series(
      metrics,
      'cv_rmse',
      Array.from({ length: 5 }, () => sig(finalRmse * rng.uniform(0.93, 1.07), 4)),
      start,
      end,
    )
  }
  const rmseUsd = Math.round(finalRmse * 181000 * rng.uniform(0.95, 1.05))
  for (const [key, value] of [
    ['rmse', finalRmse],
    ['rmse_usd', rmseUsd],
    ['mae_usd', Math.round(rmseUsd * 0.62)],
    ['r2', sig(1 - finalRmse * 0.95, 4)],
    ['mape', sig(finalRmse * 0.71, 4)],
  ] as const) {
    metrics.push({ key, value, step: 0, timestamp: end })
  }
  const user = rng.pick(USERS)
  return {
    name,
    user,
    startTime: start,
    endTime: end,
    status: 'FINISHED',
    params: p,
    tags: {
      ...sourceTags(rng, 'notebooks/house_prices.ipynb', user, commit),
      'mlflow.source.type': 'NOTEBOOK',
      'mlflow.autologging': model === 'xgboost' ? 'xgboost' : 'sklearn',
      estimator_class: model,
    },
    metrics,
    datasets: [{ dataset: AMES, context: 'training' }],
  }
}

/** "house-prices": tabular regression with boosted trees and linear baselines, one deleted run. */
export function planHousePrices(rng: Rng, scale: 'small' | 'full', now: number): ExperimentPlan {
  const commit = rng.hex(40)
  const showcase = regressionRun(
    rng.fork(1),
    HOUSE_SHOWCASE,
    'xgboost',
    now - 3 * DAY + 4 * HOUR,
    commit,
  )
  const rmse = showcase.metrics.find((m) => m.key === 'rmse')?.value ?? 0.12
  showcase.artifacts = regressionArtifacts(rng.fork(2), rmse, showcase.startTime)
  showcase.tags['mlflow.note.content'] =
    'Tuned **XGBoost**: best single model so far. Registered as `house-prices-regressor`.'
  const runs = [showcase]
  const count = scale === 'full' ? 80 : 3
  const span = scale === 'full' ? 12 * DAY : 2 * DAY
  const models: ModelType[] = ['lightgbm', 'ridge', 'xgboost', 'random_forest', 'elastic_net']
  for (let i = 0; i < count; i++) {
    const model = models[i % models.length] as ModelType
    const start = now - span + Math.round((i / count) * (span - 4 * HOUR))
    runs.push(
      regressionRun(
        rng.fork(100 + i),
        `${model.replace('_', '-')}-${String(i + 1).padStart(2, '0')}`,
        model,
        start,
        commit,
      ),
    )
  }
  const scratch = regressionRun(rng.fork(99), 'scratch-debug', 'ridge', now - DAY, commit)
  scratch.deleted = true
  runs.push(scratch)
  return {
    name: 'house-prices',
    tags: {
      'mlflow.note.content':
        'Predict **SalePrice** of homes in Ames, Iowa. Metric: RMSE of log price (Kaggle).',
      team: 'tabular',
      project: 'pricing',
    },
    runs,
    sweeps: [],
  }
}
