import { confusionMatrixPng, lineChartPng } from './charts.ts'
import type { RunPlan } from './demo-run.ts'
import { sig, type Rng } from './random.ts'
import { barChartSvg, htmlReport, toCsv, toYaml } from './text-files.ts'
import type { CnnParams, TrainingCurves } from './training-curves.ts'

/** Test-set size of each MNIST digit. */
const CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
/** Digits a CNN tends to confuse, as [true, predicted] pairs. */
const CONFUSABLE: [number, number][] = [
  [4, 9],
  [9, 4],
  [3, 5],
  [5, 3],
  [7, 2],
  [2, 7],
  [8, 3],
  [7, 1],
  [6, 0],
  [9, 7],
]
const DIGITS = [...'0123456789']

/** A plausible 10x10 confusion matrix for a given accuracy (rows = true digit). */
export function confusionMatrix(rng: Rng, accuracy: number): number[][] {
  const matrix = CLASS_COUNTS.map(() => new Array<number>(10).fill(0))
  CLASS_COUNTS.forEach((count, t) => {
    const row = matrix[t] as number[]
    const errors = Math.round(count * (1 - accuracy) * rng.uniform(0.6, 1.4))
    for (let k = 0; k < errors; k++) {
      const likely = CONFUSABLE.filter(([a]) => a === t)
      const p =
        likely.length > 0 && rng.chance(0.7) ? rng.pick(likely)[1] : (t + rng.int(1, 9)) % 10
      row[p] = (row[p] ?? 0) + 1
    }
    row[t] = count - errors
  })
  return matrix
}

/** Precision, recall and F1 per digit from a confusion matrix. */
function classificationReport(
  matrix: number[][],
): Record<string, { precision: number; recall: number; 'f1-score': number; support: number }> {
  const report: Record<
    string,
    { precision: number; recall: number; 'f1-score': number; support: number }
  > = {}
  for (let c = 0; c < 10; c++) {
    const tp = matrix[c]?.[c] ?? 0
    const support = (matrix[c] ?? []).reduce((a, b) => a + b, 0)
    const predicted = matrix.reduce((a, row) => a + (row[c] ?? 0), 0)
    const precision = tp / Math.max(1, predicted)
    const recall = tp / Math.max(1, support)
    report[String(c)] = {
      precision: sig(precision, 4),
      recall: sig(recall, 4),
      'f1-score': sig((2 * precision * recall) / (precision + recall || 1), 4),
      support,
    }
  }
  return report
}

function epochPoints(values: number[]): [number, number][] {
  return values.map((v, i) => [i + 1, v])
}

/** The loss-curve plot every finished classifier run uploads. */
export function lossCurveArtifact(
  curves: TrainingCurves,
): NonNullable<RunPlan['artifacts']>[number] {
  return {
    path: 'plots/loss_curve.png',
    data: () =>
      lineChartPng('Loss', 'EPOCH', 'LOSS', [
        { name: 'train_loss', color: '#1f77b4', points: epochPoints(curves.trainLoss) },
        { name: 'val_loss', color: '#ff7f0e', points: epochPoints(curves.valLoss) },
      ]),
  }
}

/** Every kind of artifact the UI can show, for the showcase run: images, SVG, CSV, JSON, YAML, log, HTML. */
export function showcaseArtifacts(
  rng: Rng,
  params: CnnParams,
  curves: TrainingCurves,
  start: number,
): NonNullable<RunPlan['artifacts']> {
  const matrix = confusionMatrix(rng, curves.finalAccuracy)
  const report = classificationReport(matrix)
  const misclassified = Array.from({ length: 40 }, (_, i) => {
    const [t, p] = rng.pick(CONFUSABLE)
    return [
      rng.int(0, 9999),
      t,
      p,
      sig(rng.uniform(0.5, 0.99), 3),
      `test/${String(i).padStart(5, '0')}.png`,
    ]
  })
  const log = curves.trainLoss
    .map((loss, e) => {
      const at = new Date(start + (e + 1) * curves.epochSeconds * 1000).toISOString()
      return `${at} INFO train.py: epoch ${e + 1}/${params.epochs} train_loss=${loss} val_loss=${curves.valLoss[e]} val_accuracy=${curves.valAccuracy[e]}`
    })
    .join('\n')
  return [
    lossCurveArtifact(curves),
    {
      path: 'plots/accuracy.png',
      data: () =>
        lineChartPng('Validation accuracy', 'EPOCH', 'ACCURACY', [
          { name: 'val_accuracy', color: '#2ca02c', points: epochPoints(curves.valAccuracy) },
        ]),
    },
    {
      path: 'plots/confusion_matrix.png',
      data: () => confusionMatrixPng(matrix, DIGITS, 'Confusion matrix (test)'),
    },
    {
      path: 'plots/per_class_f1.svg',
      data: () =>
        barChartSvg(
          'F1 score per digit',
          DIGITS.map((d) => ({ label: `digit ${d}`, value: report[d]?.['f1-score'] ?? 0 })),
        ),
    },
    {
      path: 'config.yaml',
      data: () =>
        toYaml({
          model: {
            name: 'SimpleCNN',
            layers: params.layers,
            conv_filters: params.conv_filters,
            dropout: params.dropout,
          },
          training: {
            lr: params.lr,
            batch_size: params.batch_size,
            optimizer: params.optimizer,
            epochs: params.epochs,
            weight_decay: params.weight_decay,
            scheduler: 'cosine',
          },
          data: { dataset: 'mnist', augment: ['random_crop', 'rotate_10deg'], num_workers: 4 },
        }),
    },
    {
      path: 'metrics/classification_report.json',
      data: () => JSON.stringify({ ...report, accuracy: sig(curves.finalAccuracy, 4) }, null, 2),
    },
    {
      path: 'predictions/misclassified.csv',
      data: () => toCsv(['index', 'label', 'predicted', 'confidence', 'image'], misclassified),
    },
    {
      path: 'logs/train.log',
      data: () =>
        `${new Date(start).toISOString()} INFO train.py: starting run, device=cuda:0 (NVIDIA A10G)\n${log}\n${new Date(start + curves.trainLoss.length * curves.epochSeconds * 1000).toISOString()} INFO train.py: done\n`,
    },
    {
      path: 'report.html',
      data: () =>
        htmlReport(
          'MNIST CNN: training report',
          'Summary of the baseline convolutional network on the MNIST test set.',
          [
            { heading: 'Hyper-parameters', rows: Object.entries(params).map(([k, v]) => [k, v]) },
            {
              heading: 'Results',
              rows: [
                ['test accuracy', sig(curves.finalAccuracy, 4)],
                ['final val_loss', curves.valLoss.at(-1) ?? ''],
                ['epoch time (s)', curves.epochSeconds],
              ],
            },
          ],
        ),
    },
  ]
}

/** The log of a run that diverged: the loss blows up, then the script raises. */
export function divergedLog(
  params: CnnParams,
  curves: TrainingCurves,
  start: number,
): NonNullable<RunPlan['artifacts']>[number] {
  const lines = curves.trainLoss.map(
    (loss, e) =>
      `${new Date(start + (e + 1) * curves.epochSeconds * 1000).toISOString()} INFO train.py: epoch ${e + 1}/${params.epochs} train_loss=${loss}`,
  )
  return {
    path: 'logs/train.log',
    data: () =>
      `${lines.join('\n')}\nTraceback (most recent call last):\n  File "train.py", line 148, in <module>\n    train(cfg)\n  File "train.py", line 97, in train\n    raise FloatingPointError(f"loss is {loss} at epoch {epoch}")\nFloatingPointError: loss is nan at epoch ${curves.trainLoss.length}\n`,
  }
}
