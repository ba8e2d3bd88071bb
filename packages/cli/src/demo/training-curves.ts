import type { Metric } from '@logbook/core'
import { series } from './demo-run.ts'
import { sig, type Rng } from './random.ts'

/** Hyper-parameters of the demo's digit classifier. */
export interface CnnParams {
  lr: number
  batch_size: number
  optimizer: 'adam' | 'adamw' | 'sgd'
  epochs: number
  layers: number
  dropout: number
  conv_filters: number
  weight_decay: number
}

/** Per-epoch curves of one training run and how it ended. */
export interface TrainingCurves {
  trainLoss: number[]
  valLoss: number[]
  trainAccuracy: number[]
  valAccuracy: number[]
  learningRate: number[]
  /** Epoch at which the loss became NaN, if the run diverged. */
  divergedAt?: number
  finalAccuracy: number
  epochSeconds: number
}

/** The learning rate each optimizer likes best; quality falls off with distance in log space. */
const BEST_LR = { adam: 0.002, adamw: 0.002, sgd: 0.05 }
const DIVERGE_LR = { adam: 0.03, adamw: 0.03, sgd: 0.5 }

/** Final validation accuracy the hyper-parameters earn (before noise): 0.90 .. 0.994. */
export function expectedAccuracy(p: CnnParams): number {
  const lrMiss = (Math.log10(p.lr) - Math.log10(BEST_LR[p.optimizer])) ** 2
  let acc = 0.9935 - 0.011 * lrMiss
  acc -= Math.abs(p.dropout - 0.25) * 0.012
  acc -= p.layers < 3 ? 0.004 : p.layers > 5 ? 0.002 : 0
  acc -= p.batch_size >= 512 ? 0.003 : 0
  acc -= p.conv_filters < 32 ? 0.003 : 0
  return Math.max(0.9, Math.min(0.9942, acc))
}

/**
 * Loss decaying towards a floor with noise, accuracy rising to its plateau, a cosine learning
 * rate, and (for too high a learning rate) a loss that blows up to NaN a few epochs in.
 */
export function trainingCurves(rng: Rng, p: CnnParams): TrainingCurves {
  const finalAcc = Math.min(0.9948, expectedAccuracy(p) + rng.normal(0, 0.0012))
  const lrMiss = (Math.log10(p.lr) - Math.log10(BEST_LR[p.optimizer])) ** 2
  const tau = 1.1 + 1.8 * lrMiss + (p.optimizer === 'sgd' ? 0.8 : 0)
  const valFloor = 0.012 + (1 - finalAcc) * 2.4
  const trainFloor = valFloor * (0.35 + p.dropout)
  const divergedAt = p.lr >= DIVERGE_LR[p.optimizer] ? rng.int(2, 5) : undefined
  const epochSeconds = sig(
    (60000 / p.batch_size) * 0.021 * (p.layers / 3) * (p.conv_filters / 32) + rng.uniform(2, 4),
    3,
  )
  const trainLoss: number[] = []
  const valLoss: number[] = []
  const trainAccuracy: number[] = []
  const valAccuracy: number[] = []
  const lr: number[] = []
  const epochs = divergedAt === undefined ? p.epochs : Math.min(p.epochs, divergedAt + 3)
  for (let e = 0; e < epochs; e++) {
    const decay = Math.exp(-(e + 0.5) / tau)
    const overfit = p.dropout < 0.1 ? 0.0025 * Math.max(0, e - 6) ** 1.3 : 0
    let tl = trainFloor + (2.3 - trainFloor) * decay * (1 + rng.normal(0, 0.04))
    let vl =
      valFloor +
      (2.3 - valFloor) * Math.exp(-(e + 0.5) / (tau * 1.1)) * (1 + rng.normal(0, 0.05)) +
      overfit
    let va = 0.1 + (finalAcc - 0.1) * (1 - Math.exp(-(e + 1) / (tau * 0.7))) + rng.normal(0, 0.0008)
    let ta = Math.min(0.9995, va + 0.002 + (0.25 - p.dropout) * 0.01 + e * 0.0004)
    if (divergedAt !== undefined && e >= divergedAt) {
      const blow = 3 ** (e - divergedAt + 1)
      tl = e === epochs - 1 ? NaN : tl * blow
      vl = e === epochs - 1 ? NaN : vl * blow
      va = 0.0982 + rng.uniform(0, 0.01)
      ta = 0.0987 + rng.uniform(0, 0.01)
    }
    trainLoss.push(sig(tl))
    valLoss.push(sig(vl))
    valAccuracy.push(sig(Math.min(0.9999, va)))
    trainAccuracy.push(sig(ta))
    lr.push(sig(p.lr * 0.5 * (1 + Math.cos((Math.PI * e) / p.epochs)), 4))
  }
  return {
    trainLoss,
    valLoss,
    trainAccuracy,
    valAccuracy,
    learningRate: lr,
    divergedAt,
    finalAccuracy: finalAcc,
    epochSeconds,
  }
}

/** The per-epoch metrics of `curves`, epochs spread evenly from `start` to `end`. */
export function epochMetrics(
  rng: Rng,
  curves: TrainingCurves,
  start: number,
  end: number,
): Omit<Metric, 'run_id'>[] {
  const metrics: Omit<Metric, 'run_id'>[] = []
  series(metrics, 'train_loss', curves.trainLoss, start, end)
  series(metrics, 'val_loss', curves.valLoss, start, end)
  series(metrics, 'train_accuracy', curves.trainAccuracy, start, end)
  series(metrics, 'val_accuracy', curves.valAccuracy, start, end)
  series(metrics, 'learning_rate', curves.learningRate, start, end)
  const times = curves.trainLoss.map(() => sig(curves.epochSeconds * (1 + rng.normal(0, 0.03)), 3))
  series(metrics, 'epoch_time_s', times, start, end)
  return metrics
}

/** Loss of every `every`-th mini-batch: the epoch curve plus per-batch noise (many points). */
export function batchLoss(
  rng: Rng,
  curves: TrainingCurves,
  stepsPerEpoch: number,
  every: number,
  start: number,
  end: number,
): Omit<Metric, 'run_id'>[] {
  const values: number[] = []
  const steps: number[] = []
  const total = curves.trainLoss.length * stepsPerEpoch
  for (let s = 0; s < total; s += every) {
    const e = s / stepsPerEpoch
    const i = Math.min(Math.floor(e), curves.trainLoss.length - 1)
    const here = curves.trainLoss[i] as number
    const next = curves.trainLoss[i + 1] ?? here
    const base =
      s < stepsPerEpoch ? 2.3 + (here - 2.3) * (s / stepsPerEpoch) : here + (next - here) * (e - i)
    values.push(sig(Math.max(0.0005, base * Math.exp(rng.normal(0, 0.18))), 4))
    steps.push(s)
  }
  const out: Omit<Metric, 'run_id'>[] = []
  series(out, 'train/batch_loss', values, start, end, steps)
  return out
}

/** MLflow-style system metrics sampled every 10 s (at most `maxSamples`), step = sample index. */
export function systemMetrics(
  rng: Rng,
  start: number,
  end: number,
  gpu: boolean,
  maxSamples = 60,
): Omit<Metric, 'run_id'>[] {
  const n = Math.max(2, Math.min(maxSamples, Math.floor((end - start) / 10_000)))
  const out: Omit<Metric, 'run_id'>[] = []
  const cpu: number[] = []
  const mem: number[] = []
  const gpuUtil: number[] = []
  const gpuMem: number[] = []
  const baseMem = rng.uniform(3800, 6200)
  for (let i = 0; i < n; i++) {
    const warm = i === 0 ? 0.3 : 1
    cpu.push(sig(Math.min(100, warm * rng.uniform(55, 92)), 3))
    mem.push(sig(baseMem + i * rng.uniform(0, 6) + rng.normal(0, 40), 5))
    gpuUtil.push(sig(Math.min(100, warm * rng.uniform(78, 99)), 3))
    gpuMem.push(sig(warm * 7100 + rng.normal(0, 25), 5))
  }
  series(out, 'system/cpu_utilization_percentage', cpu, start, end)
  series(out, 'system/system_memory_usage_megabytes', mem, start, end)
  if (gpu) {
    series(out, 'system/gpu_0_utilization_percentage', gpuUtil, start, end)
    series(out, 'system/gpu_0_memory_usage_megabytes', gpuMem, start, end)
  }
  return out
}
