import {
  DAY,
  HOUR,
  MINUTE,
  USERS,
  sourceTags,
  type ExperimentPlan,
  type RunPlan,
} from './demo-run.ts'
import { divergedLog, lossCurveArtifact, showcaseArtifacts } from './mnist-artifacts.ts'
import { sig, type Rng } from './random.ts'
import {
  batchLoss,
  epochMetrics,
  systemMetrics,
  trainingCurves,
  type CnnParams,
  type TrainingCurves,
} from './training-curves.ts'

/** Name of the showcase run (every artifact type) and of the live run of "mnist-cnn". */
export const MNIST_SHOWCASE = 'baseline-cnn'
export const MNIST_LIVE = 'live-finetune'

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

const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'fancy',
  'gentle',
  'jolly',
  'keen',
  'lucky',
  'merry',
  'nimble',
  'proud',
  'quiet',
  'swift',
  'witty',
]
const ANIMALS = [
  'otter',
  'lynx',
  'heron',
  'koala',
  'panda',
  'gecko',
  'bison',
  'finch',
  'moose',
  'whale',
  'tapir',
  'yak',
]

/** An MLflow-style generated run name, e.g. "swift-otter-417". */
export function runName(rng: Rng): string {
  return `${rng.pick(ADJECTIVES)}-${rng.pick(ANIMALS)}-${rng.int(100, 999)}`
}

interface Context {
  rng: Rng
  commit: string
}

/** One classifier training run: params, curves, system metrics, datasets; FAILED if it diverged. */
function cnnRun(
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

const BASE: CnnParams = {
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
function sweep(
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

function grid(axes: Record<string, unknown[]>): Partial<CnnParams>[] {
  return Object.entries(axes).reduce<Partial<CnnParams>[]>(
    (acc, [key, values]) => acc.flatMap((g) => values.map((v) => ({ ...g, [key]: v }))),
    [{}],
  )
}

/** "mnist-cnn": a digit classifier with sweeps, a showcase run, failures and a live run. */
export function planMnist(rng: Rng, scale: 'small' | 'full', now: number): ExperimentPlan {
  const ctx: Context = { rng, commit: rng.hex(40) }
  const history = scale === 'full' ? 21 * DAY : 3 * DAY
  const showcaseStart = now - 2 * DAY
  const { plan: showcase, curves } = cnnRun(ctx, MNIST_SHOWCASE, BASE, showcaseStart, {
    user: 'ada',
  })
  const extraRng = rng.fork(7)
  showcase.artifacts = showcaseArtifacts(extraRng, BASE, curves, showcaseStart)
  showcase.metrics.push(
    ...batchLoss(extraRng, curves, 469, scale === 'full' ? 1 : 10, showcaseStart, showcase.endTime),
  )
  showcase.tags['mlflow.note.content'] = [
    '## Baseline CNN',
    '',
    `3 conv blocks, dropout 0.25, Adam at lr=0.002. Reaches **${sig(curves.finalAccuracy * 100, 3)}%** test accuracy.`,
    '',
    '- confusions are mostly 4↔9 and 3↔5 (see `plots/confusion_matrix.png`)',
    '- registered as `demo-classifier` (alias **champion**)',
  ].join('\n')
  const { plan: live } = cnnRun(
    ctx,
    MNIST_LIVE,
    { ...BASE, epochs: 30, lr: 0.001, layers: 4 },
    now - 25 * MINUTE,
    { user: 'ada', status: 'RUNNING' },
  )
  live.metrics = live.metrics.filter((m) =>
    m.key.startsWith('system/') ? m.step < 20 : m.step < 6,
  )
  live.artifacts = []
  const sweeps = [
    sweep(
      ctx,
      'sweep-lr-batch',
      now - history + 2 * HOUR,
      scale === 'full'
        ? [
            ...grid({
              optimizer: ['adam'],
              lr: [0.0003, 0.001, 0.003, 0.01, 0.03],
              batch_size: [64, 128, 256],
            }),
            ...grid({
              optimizer: ['sgd'],
              lr: [0.01, 0.03, 0.1, 0.3, 1],
              batch_size: [64, 128, 256],
            }),
          ]
        : [
            { lr: 0.001, batch_size: 64 },
            { lr: 0.003, batch_size: 128 },
            { lr: 0.01, batch_size: 128 },
            { lr: 0.05, batch_size: 64 },
          ],
      true,
    ),
  ]
  const runs = [showcase, live]
  if (scale === 'full') {
    sweeps.push(
      sweep(
        ctx,
        'sweep-dropout-depth',
        now - 9 * DAY,
        grid({ dropout: [0, 0.1, 0.2, 0.3, 0.4, 0.5], layers: [2, 3, 4, 6] }),
        false,
      ),
    )
    sweeps.push(
      sweep(
        ctx,
        'random-search',
        now - 5 * DAY,
        Array.from({ length: 20 }, () => ({
          lr: sig(10 ** rng.uniform(-3.7, -1.8), 2),
          batch_size: rng.pick([32, 64, 128, 256]),
          dropout: sig(rng.uniform(0, 0.5), 2),
          layers: rng.int(2, 6),
          conv_filters: rng.pick([16, 32, 64]),
          optimizer: rng.pick(['adam', 'adamw'] as const),
        })),
        false,
      ),
    )
    for (let i = 0; i < 60; i++) {
      const p: CnnParams = {
        ...BASE,
        lr: sig(10 ** rng.uniform(-3.5, -1.7), 2),
        batch_size: rng.pick([64, 128, 256, 512]),
        optimizer: rng.pick(['adam', 'adamw', 'sgd'] as const),
        epochs: rng.pick([8, 10, 12, 15, 20]),
        layers: rng.int(2, 5),
        dropout: sig(rng.uniform(0, 0.5), 2),
        conv_filters: rng.pick([16, 32, 64]),
      }
      if (p.optimizer === 'sgd') p.lr = sig(p.lr * 20, 2)
      const { plan: run } = cnnRun(
        ctx,
        runName(rng),
        p,
        now - history + (i / 60) * (history - 3 * DAY),
      )
      if (run.status === 'FINISHED' && rng.chance(0.06)) run.status = 'KILLED'
      if (i === 17) run.deleted = true
      runs.push(run)
    }
  } else {
    const { plan: killed } = cnnRun(
      ctx,
      'wide-cnn-killed',
      { ...BASE, conv_filters: 64 },
      now - DAY,
    )
    killed.status = 'KILLED'
    killed.endTime = killed.startTime + 4 * MINUTE
    killed.metrics = killed.metrics.filter((m) => m.timestamp <= killed.endTime)
    runs.push(killed)
  }
  return {
    name: 'mnist-cnn',
    tags: {
      'mlflow.note.content':
        '# MNIST digit classifier\n\nConvolutional networks on **MNIST** (60k train / 10k test). Target: **99.2 %** test accuracy.\n\n| sweep | what it searches |\n|---|---|\n| sweep-lr-batch | learning rate x batch size x optimizer |\n| sweep-dropout-depth | dropout x depth |\n',
      team: 'vision',
      project: 'digits',
    },
    runs,
    sweeps,
  }
}
