import { glyphRows, textWidth } from './font.ts'
import { encodePng } from './png.ts'

/** An RGB colour, each channel 0-255. */
export type Rgb = readonly [number, number, number]

export const WHITE: Rgb = [255, 255, 255]
export const BLACK: Rgb = [0, 0, 0]

/** `#rrggbb` to RGB. */
export function hex(color: string): Rgb {
  const n = parseInt(color.replace('#', ''), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Linear blend of two colours (t = 0 gives a, 1 gives b). */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t))
  return [0, 1, 2].map((i) =>
    Math.round((a[i] as number) + ((b[i] as number) - (a[i] as number)) * u),
  ) as unknown as Rgb
}

/** A tiny RGB drawing surface: rectangles, thick lines, 5x7 text; rasterised to PNG. */
export class Raster {
  readonly pixels: Uint8Array

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = WHITE,
  ) {
    this.pixels = new Uint8Array(width * height * 3)
    this.fillRect(0, 0, width, height, background)
  }

  /** Set one pixel; points outside the surface are ignored. */
  set(x: number, y: number, c: Rgb): void {
    const px = Math.round(x)
    const py = Math.round(y)
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return
    const i = (py * this.width + px) * 3
    this.pixels[i] = c[0]
    this.pixels[i + 1] = c[1]
    this.pixels[i + 2] = c[2]
  }

  /** Fill an axis-aligned rectangle (clipped to the surface). */
  fillRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.round(x))
    const y0 = Math.max(0, Math.round(y))
    const x1 = Math.min(this.width, Math.round(x + w))
    const y1 = Math.min(this.height, Math.round(y + h))
    for (let py = y0; py < y1; py++) {
      for (let i = (py * this.width + x0) * 3, end = (py * this.width + x1) * 3; i < end; i += 3) {
        this.pixels[i] = c[0]
        this.pixels[i + 1] = c[1]
        this.pixels[i + 2] = c[2]
      }
    }
  }

  /** A straight line of `thickness` pixels (Bresenham with a square brush). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
    let x = Math.round(x0)
    let y = Math.round(y0)
    const xe = Math.round(x1)
    const ye = Math.round(y1)
    const dx = Math.abs(xe - x)
    const dy = -Math.abs(ye - y)
    const sx = x < xe ? 1 : -1
    const sy = y < ye ? 1 : -1
    let err = dx + dy
    const half = Math.floor((thickness - 1) / 2)
    for (;;) {
      this.fillRect(x - half, y - half, thickness, thickness, c)
      if (x === xe && y === ye) return
      const e2 = 2 * err
      if (e2 >= dy) {
        err += dy
        x += sx
      }
      if (e2 <= dx) {
        err += dx
        y += sy
      }
    }
  }

  /** Outline of a rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    this.line(x, y, x + w, y, c)
    this.line(x + w, y, x + w, y + h, c)
    this.line(x + w, y + h, x, y + h, c)
    this.line(x, y + h, x, y, c)
  }

  /** Draw text with its top-left corner at (x, y); `align` places x at the start, middle or end. */
  text(
    x: number,
    y: number,
    text: string,
    c: Rgb,
    scale = 1,
    align: 'start' | 'middle' | 'end' = 'start',
  ): void {
    const width = textWidth(text, scale)
    let cx = align === 'start' ? x : align === 'middle' ? x - width / 2 : x - width
    for (const ch of text) {
      glyphRows(ch).forEach((row, ry) => {
        for (let rx = 0; rx < 5; rx++) {
          if (row & (0x10 >> rx)) this.fillRect(cx + rx * scale, y + ry * scale, scale, scale, c)
        }
      })
      cx += 6 * scale
    }
  }

  /** Text rotated 90 degrees counter-clockwise, centred on (x, y): for vertical axis titles. */
  verticalText(x: number, y: number, text: string, c: Rgb, scale = 1): void {
    let cy = y + textWidth(text, scale) / 2
    for (const ch of text) {
      glyphRows(ch).forEach((row, ry) => {
        for (let rx = 0; rx < 5; rx++) {
          if (row & (0x10 >> rx))
            this.fillRect(x + ry * scale, cy - (rx + 1) * scale, scale, scale, c)
        }
      })
      cy -= 6 * scale
    }
  }

  /** The surface as PNG bytes. */
  toPng(): Uint8Array {
    return encodePng(this.width, this.height, this.pixels)
  }
}
