import { textWidth } from './font.ts'
import { BLACK, Raster, WHITE, hex, mix, type Rgb } from './raster.ts'

/** Rasterised charts for demo artifacts: a confusion-matrix heatmap, line plots, a scatter plot. */

const AXIS = hex('#333333')
const GRID = hex('#e6e6e6')
const HEAT_LOW = hex('#f7fbff')
const HEAT_HIGH = hex('#08306b')

/** Short tick label: 3 significant digits, K/M suffixes for large values. */
export function tickLabel(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}K`
  if (a !== 0 && a < 0.01) return v.toExponential(1).replace('e', 'E')
  return String(+v.toPrecision(3))
}

/** About `count` evenly spaced round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  const ticks: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(+t.toPrecision(12))
  }
  return ticks
}

/** A 10-class (or any n-class) confusion matrix with counts in the cells, rows = true class. */
export function confusionMatrixPng(
  matrix: number[][],
  labels: string[],
  title: string,
): Uint8Array {
  const n = labels.length
  const cell = n <= 10 ? 40 : 24
  const left = 70
  const top = 60
  const r = new Raster(left + n * cell + 30, top + n * cell + 50)
  r.text(r.width / 2, 16, title, BLACK, 2, 'middle')
  const max = Math.max(1, ...matrix.flat())
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const count = matrix[i]?.[j] ?? 0
      const t = Math.sqrt(count / max)
      r.fillRect(left + j * cell, top + i * cell, cell - 1, cell - 1, mix(HEAT_LOW, HEAT_HIGH, t))
      const fg: Rgb = t > 0.5 ? WHITE : AXIS
      r.text(
        left + j * cell + cell / 2,
        top + i * cell + cell / 2 - 3,
        String(count),
        fg,
        1,
        'middle',
      )
    }
    r.text(left - 8, top + i * cell + cell / 2 - 3, labels[i] ?? '', AXIS, 1, 'end')
    r.text(left + i * cell + cell / 2, top + n * cell + 6, labels[i] ?? '', AXIS, 1, 'middle')
  }
  r.text(left + (n * cell) / 2, top + n * cell + 24, 'PREDICTED', AXIS, 2, 'middle')
  r.verticalText(14, top + (n * cell) / 2, 'TRUE', AXIS, 2)
  return r.toPng()
}

/** One line of a plot; NaN values break the line. */
export interface Series {
  name: string
  color: string
  points: [number, number][]
}

interface Frame {
  r: Raster
  x: (v: number) => number
  y: (v: number) => number
}

/** Axes, grid, tick labels and titles; returns the mapping from data to pixels. */
function frame(title: string, xLabel: string, yLabel: string, xs: number[], ys: number[]): Frame {
  const r = new Raster(640, 400)
  const [left, right, top, bottom] = [70, 620, 44, 340]
  const finite = (v: number[]) => v.filter(Number.isFinite)
  const xMin = Math.min(...finite(xs))
  const xMax = Math.max(...finite(xs))
  let yMin = Math.min(...finite(ys))
  let yMax = Math.max(...finite(ys))
  if (yMax === yMin) [yMin, yMax] = [yMin - 1, yMax + 1]
  const pad = (yMax - yMin) * 0.05
  ;[yMin, yMax] = [yMin - pad, yMax + pad]
  const x = (v: number) => left + ((v - xMin) / (xMax - xMin || 1)) * (right - left)
  const y = (v: number) => bottom - ((v - yMin) / (yMax - yMin)) * (bottom - top)
  for (const t of niceTicks(yMin, yMax)) {
    r.line(left, y(t), right, y(t), GRID)
    r.text(left - 6, y(t) - 3, tickLabel(t), AXIS, 1, 'end')
  }
  for (const t of niceTicks(xMin, xMax, 8)) {
    r.line(x(t), top, x(t), bottom, GRID)
    r.text(x(t), bottom + 6, tickLabel(t), AXIS, 1, 'middle')
  }
  r.line(left, bottom, right, bottom, AXIS)
  r.line(left, top, left, bottom, AXIS)
  r.text(r.width / 2, 12, title, BLACK, 2, 'middle')
  r.text((left + right) / 2, bottom + 24, xLabel, AXIS, 2, 'middle')
  r.verticalText(8, (top + bottom) / 2, yLabel, AXIS, 2)
  return { r, x, y }
}

function legend(r: Raster, series: { name: string; color: string }[]): void {
  const width = Math.max(...series.map((s) => textWidth(s.name))) + 34
  const x = 620 - width - 8
  r.fillRect(x, 52, width, series.length * 14 + 8, WHITE)
  r.strokeRect(x, 52, width, series.length * 14 + 8, GRID)
  series.forEach((s, i) => {
    r.line(x + 6, 62 + i * 14, x + 22, 62 + i * 14, hex(s.color), 3)
    r.text(x + 28, 59 + i * 14, s.name, AXIS)
  })
}

/** A line plot of several series with a legend, e.g. train and validation loss per epoch. */
export function lineChartPng(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
): Uint8Array {
  const pts = series.flatMap((s) => s.points)
  const { r, x, y } = frame(
    title,
    xLabel,
    yLabel,
    pts.map((p) => p[0]),
    pts.map((p) => p[1]),
  )
  for (const s of series) {
    const color = hex(s.color)
    let prev: [number, number] | undefined
    for (const [px, py] of s.points) {
      if (!Number.isFinite(py)) {
        prev = undefined
        continue
      }
      if (prev) r.line(x(prev[0]), y(prev[1]), x(px), y(py), color, 2)
      prev = [px, py]
    }
  }
  legend(r, series)
  return r.toPng()
}

/** Predicted against actual values with the ideal diagonal, e.g. a regression's test set. */
export function scatterPng(title: string, actual: number[], predicted: number[]): Uint8Array {
  const all = [...actual, ...predicted]
  const { r, x, y } = frame(title, 'ACTUAL', 'PREDICTED', all, all)
  const lo = Math.min(...all)
  const hi = Math.max(...all)
  r.line(x(lo), y(lo), x(hi), y(hi), hex('#d62728'))
  const dot = hex('#1f77b4')
  actual.forEach((a, i) => r.fillRect(x(a) - 2, y(predicted[i] ?? a) - 2, 4, 4, dot))
  legend(r, [
    { name: 'TEST SET', color: '#1f77b4' },
    { name: 'Y = X', color: '#d62728' },
  ])
  return r.toPng()
}
