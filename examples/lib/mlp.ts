/**
 * A one-hidden-layer perceptron (tanh, softmax output) trained by full-batch gradient descent on
 * cross-entropy, in plain TypeScript: small enough to read in one sitting.
 */
import type { Dataset } from './iris.ts'

export interface Mlp {
  /** hidden x inputs */
  w1: number[][]
  b1: number[]
  /** classes x hidden */
  w2: number[][]
  b2: number[]
}

/** Weights drawn uniformly from ±1/sqrt(fan-in). */
export function createMlp(
  inputs: number,
  hidden: number,
  classes: number,
  rand: () => number,
): Mlp {
  const layer = (rows: number, cols: number): number[][] =>
    Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => (rand() * 2 - 1) / Math.sqrt(cols)),
    )
  return {
    w1: layer(hidden, inputs),
    b1: new Array<number>(hidden).fill(0),
    w2: layer(classes, hidden),
    b2: new Array<number>(classes).fill(0),
  }
}

function forward(m: Mlp, x: number[]): { h: number[]; p: number[] } {
  const h = m.w1.map((row, i) => Math.tanh(dot(row, x) + (m.b1[i] as number)))
  const z = m.w2.map((row, k) => dot(row, h) + (m.b2[k] as number))
  const max = Math.max(...z)
  const e = z.map((v) => Math.exp(v - max))
  const sum = e.reduce((a, b) => a + b, 0)
  return { h, p: e.map((v) => v / sum) }
}

function dot(a: number[], b: number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

/** Mean cross-entropy and accuracy of the model on a data set. */
export function evaluate(m: Mlp, d: Dataset): { loss: number; accuracy: number } {
  let loss = 0
  let correct = 0
  d.x.forEach((x, n) => {
    const { p } = forward(m, x)
    const y = d.y[n] as number
    loss -= Math.log(Math.max(p[y] as number, 1e-12))
    if (p.indexOf(Math.max(...p)) === y) correct++
  })
  return { loss: loss / d.x.length, accuracy: correct / d.x.length }
}

/** One epoch: the gradient over the whole training set, one step of size `lr` (with L2 `l2`). */
export function trainEpoch(m: Mlp, d: Dataset, lr: number, l2: number): void {
  const gw1 = m.w1.map((r) => r.map(() => 0))
  const gb1 = m.b1.map(() => 0)
  const gw2 = m.w2.map((r) => r.map(() => 0))
  const gb2 = m.b2.map(() => 0)
  d.x.forEach((x, n) => {
    const { h, p } = forward(m, x)
    const dz = p.map((v, k) => v - (k === d.y[n] ? 1 : 0))
    dz.forEach((g, k) => {
      gb2[k] = (gb2[k] as number) + g
      h.forEach((hv, j) => ((gw2[k] as number[])[j] = ((gw2[k] as number[])[j] as number) + g * hv))
    })
    h.forEach((hv, j) => {
      let back = 0
      dz.forEach((g, k) => (back += g * ((m.w2[k] as number[])[j] as number)))
      const dh = back * (1 - hv * hv)
      gb1[j] = (gb1[j] as number) + dh
      x.forEach(
        (xv, i) => ((gw1[j] as number[])[i] = ((gw1[j] as number[])[i] as number) + dh * xv),
      )
    })
  })
  const n = d.x.length
  const step = (w: number[][], g: number[][]): void =>
    w.forEach((row, i) =>
      row.forEach((v, j) => (row[j] = v - lr * (((g[i] as number[])[j] as number) / n + l2 * v))),
    )
  step(m.w1, gw1)
  step(m.w2, gw2)
  m.b1.forEach((v, i) => (m.b1[i] = v - (lr * (gb1[i] as number)) / n))
  m.b2.forEach((v, k) => (m.b2[k] = v - (lr * (gb2[k] as number)) / n))
}
