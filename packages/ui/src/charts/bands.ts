import type uPlot from 'uplot'

/**
 * One sampled run's min..max band: its own x values and edges. Only points whose both edges can be
 * drawn count (finite; positive on a log scale); the others are gaps, joined over.
 */
export interface Band {
  x: number[]
  min: number[]
  max: number[]
  fill: string
}

/** The indexes of a band's drawable points. */
function drawable(b: Band, logY: boolean): number[] {
  const idx: number[] = []
  for (let i = 0; i < b.x.length; i++) {
    const lo = b.min[i]!
    const hi = b.max[i]!
    if (Number.isFinite(lo) && Number.isFinite(hi) && (!logY || lo > 0)) idx.push(i)
  }
  return idx
}

/** The smallest and largest drawable band edge values; undefined without any. */
export function bandExtent(bands: Band[], logY: boolean): [number, number] | undefined {
  let lo = Infinity
  let hi = -Infinity
  for (const b of bands) {
    for (const i of drawable(b, logY)) {
      if (b.min[i]! < lo) lo = b.min[i]!
      if (b.max[i]! > hi) hi = b.max[i]!
    }
  }
  return lo <= hi ? [lo, hi] : undefined
}

/**
 * A scale's value -> canvas pixel mapping, as uPlot's valToPos computes it for linear and log10
 * scales, without its per-call lookups: 50 bands x 1,000 points call it 200,000 times (69 -> ~15 ms).
 * `from`/`size` are the plot box along the axis; y grows downwards.
 */
export function pixelMap(min: number, max: number, log: boolean, from: number, size: number, down: boolean): (v: number) => number {
  const f = log ? Math.log10 : (v: number) => v
  const lo = f(min)
  const scale = size / (f(max) - lo)
  return down ? (v) => from + size - (f(v) - lo) * scale : (v) => from + (f(v) - lo) * scale
}

/**
 * Fill each band as one polygon (upper edge forward, lower edge back) under the lines, clipped to
 * the plot area. uPlot's own bands need two extra series a run and a clip path per band, which
 * took most of the drawing time of 50 sampled runs.
 */
export function drawBands(u: uPlot, bands: Band[], logY: boolean): void {
  const ctx = u.ctx
  const { left, top, width, height } = u.bbox
  const { x: sx, y: sy } = u.scales
  if (sx?.min == null || sx.max == null || sy?.min == null || sy.max == null) return
  const px = pixelMap(sx.min, sx.max, false, left, width, false)
  const py = pixelMap(sy.min, sy.max, logY, top, height, true)
  ctx.save()
  ctx.beginPath()
  ctx.rect(left, top, width, height)
  ctx.clip()
  for (const b of bands) {
    const idx = drawable(b, logY)
    if (idx.length === 0) continue
    const xs = idx.map((i) => px(b.x[i]!))
    ctx.beginPath()
    for (let j = 0; j < idx.length; j++) {
      const y = py(b.max[idx[j]!]!)
      if (j === 0) ctx.moveTo(xs[j]!, y)
      else ctx.lineTo(xs[j]!, y)
    }
    for (let j = idx.length - 1; j >= 0; j--) ctx.lineTo(xs[j]!, py(b.min[idx[j]!]!))
    ctx.closePath()
    ctx.fillStyle = b.fill
    ctx.fill()
  }
  ctx.restore()
}
