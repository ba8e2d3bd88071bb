import { toNumber } from '../components/format.ts'
import type { WireRun } from '../run/types.ts'

/** One comparable column: a param or a metric's last value, per run. */
export interface Column {
  id: string
  kind: 'param' | 'metric'
  key: string
  values: Map<string, string | number | undefined>
  /** Every present value is a finite number (params like "0.01" count). */
  numeric: boolean
}

/** Param and metric columns over `runs`, sorted by key; metric values are each run's last value. */
export function buildColumns(runs: WireRun[]): Column[] {
  const params = new Map<string, Map<string, string>>()
  const metrics = new Map<string, Map<string, number>>()
  for (const run of runs) {
    const id = run.info.run_id
    for (const p of run.data.params ?? []) {
      if (!params.has(p.key)) params.set(p.key, new Map())
      params.get(p.key)!.set(id, p.value)
    }
    for (const m of run.data.metrics ?? []) {
      if (!metrics.has(m.key)) metrics.set(m.key, new Map())
      metrics.get(m.key)!.set(id, toNumber(m.value) ?? Number.NaN)
    }
  }
  const columns: Column[] = []
  for (const [key, values] of [...params].sort((a, b) => a[0].localeCompare(b[0]))) {
    const numeric = [...values.values()].every((v) => v.trim() !== '' && Number.isFinite(Number(v)))
    columns.push({ id: `params.${key}`, kind: 'param', key, values, numeric })
  }
  for (const [key, values] of [...metrics].sort((a, b) => a[0].localeCompare(b[0]))) {
    columns.push({ id: `metrics.${key}`, kind: 'metric', key, values, numeric: true })
  }
  return columns
}

/** Whether the runs disagree on a column (a missing value differs from a present one). */
export function differs(column: Column, runIds: string[]): boolean {
  const seen = new Set(runIds.map((id) => String(column.values.get(id) ?? '\u0000missing')))
  return seen.size > 1
}

/** A column's value as a number for plotting (undefined when absent or not numeric). */
export function numericValue(column: Column, runId: string): number | undefined {
  const v = column.values.get(runId)
  if (v === undefined) return undefined
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  const raw = (max - min) / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)))
  return ticks
}

/** Linear map of [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)
}
