import { DAY, HOUR, MINUTE, type ExperimentPlan } from './demo-run.ts'
import { showcaseArtifacts } from './mnist-artifacts.ts'
import { BASE, cnnRun, grid, runName, sweep, type Context } from './mnist-runs.ts'
import { sig, type Rng } from './random.ts'
import { batchLoss, type CnnParams } from './training-curves.ts'

/** Name of the showcase run (every artifact type) and of the live run of "mnist-cnn". */
export const MNIST_SHOWCASE = 'baseline-cnn'
export const MNIST_LIVE = 'live-finetune'

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
