import { MINUTE, USERS, sourceTags, type ExperimentPlan, type RunPlan } from './demo-run.ts'
import { divergedLog, lossCurveArtifact } from './mnist-artifacts.ts'
import { sig, type Rng } from './random.ts'
import {
  epochMetrics,
  systemMetrics,
  trainingCurves,
  type CnnParams,
  type TrainingCurves,
} from './training-curves.ts'

/** Runs of the "mnist-cnn" experiment: one training run, sweeps of them, generated names. */

const MNIST_DATASETS = {
  train: {
    name: 'mnist-train',
    digest: '3c0a8b1d',
    source_type: 'http',
    source: JSON.stringify({
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz',
    }),
    schema: JSON.stringify({
      mlflow_tensorspec: {
        features:
          '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1, 28, 28]}}]',
        targets: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]',
      },
    }),
    profile: JSON.stringify({ features_shape: [60000, 1, 28, 28], targets_shape: [60000] }),
  },
  test: {
    name: 'mnist-test',
    digest: '9f2e6a47',
    source_type: 'http',
    source: JSON.stringify({
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz',
    }),
    profile: JSON.stringify({ features_shape: [10000, 1, 28, 28], targets_shape: [10000] }),
  },
}

const ADJECTIVES =
  'brave calm eager fancy gentle jolly keen lucky merry nimble proud quiet swift witty'.split(' ')
const ANIMALS = 'otter lynx heron koala panda gecko bison finch moose whale tapir yak'.split(' ')

/** An MLflow-style generated run name, e.g. "swift-otter-417". */
export function runName(rng: Rng): string {
  return `${rng.pick(ADJECTIVES)}-${rng.pick(ANIMALS)}-${rng.int(100, 999)}`
}

/** What all runs of one experiment share. */
export interface Context {
  rng: Rng
  commit: string
}

/** One classifier training run: params, curves, system metrics, datasets; FAILED if it diverged. */
export function cnnRun(
  ctx: Context,
  name: string,
  p: CnnParams,
  start: number,
  extra: Partial<RunPlan> = {},
): { plan: RunPlan; curves: TrainingCurves } {
  const rng = ctx.rng.fork(start)
  const curves = trainingCurves(rng, p)
  const duration = Math.round(
    curves.trainLoss.length * curves.epochSeconds * 1000 + rng.uniform(20, 60) * 1000,
  )
  const end = start + duration
  const user = extra.user ?? rng.pick(USERS)
  const failed = curves.divergedAt !== undefined
  const metrics = [
    ...epochMetrics(rng, curves, start, end),
    ...systemMetrics(rng, start, end, true),
  ]
  if (!failed)
    metrics.push({
      key: 'test_accuracy',
      value: sig(curves.finalAccuracy - rng.uniform(0, 0.001), 5),
      step: 0,
      timestamp: end,
    })
  const note = `Diverged at epoch ${(curves.divergedAt ?? 0) + 1}: **lr=${p.lr} is too high** for ${p.optimizer}.`
  const plan: RunPlan = {
    name,
    user,
    startTime: start,
    endTime: end,
    status: failed ? 'FAILED' : 'FINISHED',
    params: { ...p, seed: 42, scheduler: 'cosine', augment: p.dropout > 0.2 },
    tags: {
      ...sourceTags(rng, 'train.py', user, ctx.commit),
      'mlflow.autologging': 'pytorch',
      framework: 'pytorch',
      ...(failed ? { 'mlflow.note.content': note } : {}),
    },
    metrics,
    datasets: [
      { dataset: MNIST_DATASETS.train, context: 'training' },
      { dataset: MNIST_DATASETS.test, context: 'evaluation' },
    ],
    artifacts: failed ? [divergedLog(p, curves, start)] : [],
    ...extra,
  }
  return { plan, curves }
}

/** The baseline's hyper-parameters; sweeps vary some of them. */
export const BASE: CnnParams = {
  lr: 0.002,
  batch_size: 128,
  optimizer: 'adam',
  epochs: 12,
  layers: 3,
  dropout: 0.25,
  conv_filters: 32,
  weight_decay: 0.0001,
}

/** A sweep: parent run spanning its children, which run four at a time; parent logs the best result. */
export function sweep(
  ctx: Context,
  name: string,
  start: number,
  grid: Partial<CnnParams>[],
  artifacts: boolean,
): ExperimentPlan['sweeps'][number] {
  const children = grid.map((overrides, i) => {
    const p = { ...BASE, ...overrides }
    const childStart = start + Math.floor(i / 4) * 40 * MINUTE + (i % 4) * 7000
    const { plan: child, curves } = cnnRun(
      ctx,
      `${name}-${String(i + 1).padStart(2, '0')}`,
      p,
      childStart,
      { user: 'grace' },
    )
    if (artifacts && child.status === 'FINISHED') child.artifacts = [lossCurveArtifact(curves)]
    child.tags['sweep'] = name
    return child
  })
  const best = Math.max(
    ...children.map((c) => c.metrics.find((m) => m.key === 'test_accuracy')?.value ?? 0),
  )
  const end = Math.max(...children.map((c) => c.endTime)) + 5000
  const parent: RunPlan = {
    name,
    user: 'grace',
    startTime: start - 5000,
    endTime: end,
    status: 'FINISHED',
    params: { search: 'grid', trials: grid.length, metric: 'val_accuracy', parallelism: 4 },
    tags: {
      ...sourceTags(ctx.rng, 'sweep.py', 'grace', ctx.commit),
      sweep: name,
      'mlflow.note.content': `Grid search over **${Object.keys(grid[0] ?? {}).join(', ')}** (${grid.length} trials, 4 GPUs).`,
    },
    metrics: [{ key: 'best_test_accuracy', value: best, step: 0, timestamp: end }],
  }
  return { parent, children }
}

/** Every combination of the given values (a grid search). */
export function grid(axes: Record<string, unknown[]>): Partial<CnnParams>[] {
  return Object.entries(axes).reduce<Partial<CnnParams>[]>(
    (acc, [key, values]) => acc.flatMap((g) => values.map((v) => ({ ...g, [key]: v }))),
    [{}],
  )
}
