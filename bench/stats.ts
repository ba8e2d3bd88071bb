/** Latency summaries: nearest-rank percentiles over milliseconds. */

export interface LatencySummary {
  count: number
  min: number
  p50: number
  p90: number
  p99: number
  mean: number
  max: number
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort()
  const list = Array.from(sorted)
  const sum = list.reduce((a, b) => a + b, 0)
  return {
    count: list.length,
    min: round(list[0] ?? Number.NaN, 3),
    p50: round(percentile(list, 50), 3),
    p90: round(percentile(list, 90), 3),
    p99: round(percentile(list, 99), 3),
    mean: round(list.length > 0 ? sum / list.length : Number.NaN, 3),
    max: round(list[list.length - 1] ?? Number.NaN, 3),
  }
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Deterministic PRNG (mulberry32) so both servers get identical data. */
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
