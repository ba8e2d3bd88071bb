import { inflateSync } from 'node:zlib'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { confusionMatrixPng, lineChartPng } from './charts.ts'
import { PNG_SIGNATURE, crc32, encodePng } from './png.ts'

interface Chunk {
  type: string
  data: Uint8Array
  crc: number
}

/** Split a PNG into its chunks (independent of the encoder's code). */
function readChunks(png: Uint8Array): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE])
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const chunks: Chunk[] = []
  let offset = 8
  while (offset < png.length) {
    const length = view.getUint32(offset)
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8))
    const data = png.subarray(offset + 8, offset + 8 + length)
    chunks.push({ type, data, crc: view.getUint32(offset + 8 + length) })
    offset += 12 + length
  }
  expect(offset).toBe(png.length)
  return chunks
}

/** Undo PNG row filters None (0) and Sub (1) for 8-bit RGB, as a decoder would. */
function unfilter(raw: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3
  expect(raw.length).toBe(height * (stride + 1))
  const out = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]
    expect([0, 1]).toContain(type)
    for (let i = 0; i < stride; i++) {
      const left = type === 1 && i >= 3 ? out[y * stride + i - 3]! : 0
      out[y * stride + i] = (raw[y * (stride + 1) + 1 + i]! + left) & 0xff
    }
  }
  return out
}

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    const bytes = new Uint8Array(1000).map((_, i) => (i * 31) & 255)
    const zlibCrc = (zlib as { crc32?: (data: Uint8Array) => number }).crc32
    if (zlibCrc) expect(crc32(bytes)).toBe(zlibCrc(bytes))
    expect(crc32(new Uint8Array(0))).toBe(0)
  })
})

describe('encodePng', () => {
  it('writes IHDR, IDAT, IEND with valid CRCs and the exact pixels', () => {
    const width = 3
    const height = 2
    const rgb = Uint8Array.from([
      255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ])
    const chunks = readChunks(encodePng(width, height, rgb))
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
    for (const c of chunks) {
      const typed = new Uint8Array(4 + c.data.length)
      typed.set(new TextEncoder().encode(c.type))
      typed.set(c.data, 4)
      expect(c.crc).toBe(crc32(typed))
    }
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13)
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([width, height])
    expect([...chunks[0]!.data.subarray(8)]).toEqual([8, 2, 0, 0, 0])
    expect([...unfilter(inflateSync(chunks[1]!.data), width, height)]).toEqual([...rgb])
  })

  it('rejects a wrong buffer size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(5))).toThrow(/Expected 12 RGB bytes/)
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/Invalid PNG size/)
  })

  it('rasterises charts into decodable PNGs of the declared size', () => {
    const matrix = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) => (i === j ? 97 : 1)),
    )
    const heatmap = readChunks(confusionMatrixPng(matrix, [...'0123456789'], 'Confusion'))
    const header = new DataView(heatmap[0]!.data.buffer, heatmap[0]!.data.byteOffset, 8)
    const [w, h] = [header.getUint32(0), header.getUint32(4)]
    const pixels = unfilter(inflateSync(heatmap[1]!.data), w, h)
    // The diagonal cells are dark blue: the image is not blank.
    let darkBlue = 0
    for (let i = 0; i < pixels.length; i += 3) {
      if (pixels[i + 2]! > 100 && pixels[i]! < 40) darkBlue++
    }
    expect(darkBlue).toBeGreaterThan(10 * 30 * 30)
    const plot = readChunks(
      lineChartPng('Loss', 'EPOCH', 'LOSS', [
        {
          name: 'loss',
          color: '#1f77b4',
          points: [
            [0, 2],
            [1, NaN],
            [2, 0.5],
          ],
        },
      ]),
    )
    expect(plot.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
  })
})
