/** A line chart of named series over epochs as a standalone SVG document. */

export interface Series {
  name: string
  color: string
  values: number[]
}

const W = 640
const H = 360
const PAD = { left: 56, right: 130, top: 30, bottom: 40 }

function esc(s: string): string {
  return s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Render `series` (all the same length) with axes, ticks and a legend. */
export function lineChartSvg(title: string, yLabel: string, series: Series[]): string {
  const n = Math.max(...series.map((s) => s.values.length))
  const all = series.flatMap((s) => s.values)
  const yMin = Math.min(0, ...all)
  const yMax = Math.max(...all) * 1.05 || 1
  const px = (i: number): number => PAD.left + (i / Math.max(1, n - 1)) * (W - PAD.left - PAD.right)
  const py = (v: number): number =>
    H - PAD.bottom - ((v - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">epoch</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${esc(yLabel)}</text>`,
  ]
  for (let t = 0; t <= 4; t++) {
    const v = yMin + ((yMax - yMin) * t) / 4
    const y = py(v).toFixed(1)
    out.push(`<line x1="${PAD.left - 4}" y1="${y}" x2="${W - PAD.right}" y2="${y}" stroke="#ddd"/>`)
    out.push(`<text x="${PAD.left - 8}" y="${y}" text-anchor="end" dy="4">${v.toFixed(2)}</text>`)
  }
  for (let t = 0; t <= 4; t++) {
    const i = Math.round(((n - 1) * t) / 4)
    out.push(
      `<text x="${px(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${i}</text>`,
    )
  }
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ')
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`)
    const ly = PAD.top + 10 + k * 18
    out.push(
      `<line x1="${W - PAD.right + 10}" y1="${ly}" x2="${W - PAD.right + 30}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
    )
    out.push(`<text x="${W - PAD.right + 36}" y="${ly + 4}">${esc(s.name)}</text>`)
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
