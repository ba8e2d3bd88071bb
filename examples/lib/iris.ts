/** Loads examples/data/iris.csv (scikit-learn's copy) and splits it reproducibly. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

export interface Dataset {
  /** Feature rows (standardised with the training split's mean and deviation). */
  x: number[][]
  /** Class numbers 0..classes-1. */
  y: number[]
}

export interface IrisSplit {
  train: Dataset
  test: Dataset
  classes: string[]
  features: string[]
  /** sha256 of the CSV file, first 12 hex digits (for the run's dataset input). */
  digest: string
  rows: number
}

/** A small seeded generator (mulberry32), so every run splits and initialises alike. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Read the CSV, shuffle with `seed`, hold out `testFraction` and standardise the features. */
export function loadIris(path: string, seed: number, testFraction = 0.2): IrisSplit {
  const bytes = readFileSync(path)
  const lines = bytes.toString('utf8').trim().split('\n')
  const header = (lines[0] ?? '').split(',')
  const classes = header.slice(2).map((s) => s.trim())
  const rows = lines.slice(1).map((line) => line.split(',').map(Number))
  const rand = prng(seed)
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[rows[i], rows[j]] = [rows[j] as number[], rows[i] as number[]]
  }
  const nTest = Math.round(rows.length * testFraction)
  const split = (part: number[][]): Dataset => ({
    x: part.map((r) => r.slice(0, 4)),
    y: part.map((r) => r[4] as number),
  })
  const train = split(rows.slice(nTest))
  const test = split(rows.slice(0, nTest))
  const mean = [0, 1, 2, 3].map((j) => avg(train.x.map((r) => r[j] as number)))
  const sd = [0, 1, 2, 3].map((j) =>
    Math.sqrt(avg(train.x.map((r) => ((r[j] as number) - (mean[j] as number)) ** 2))),
  )
  const scale = (d: Dataset): void => {
    d.x = d.x.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number)))
  }
  scale(train)
  scale(test)
  return {
    train,
    test,
    classes,
    features: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'],
    digest: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
    rows: rows.length,
  }
}

function avg(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length
}
