import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, formatRate, formatTimestamp } from './human.ts'
import { Progress } from './progress.ts'
import { csvLine, toCsv, toJson, toText } from './writers.ts'

function stream(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, isTTY, write: (t: string) => chunks.push(t) > 0 }
}

describe('human formatting', () => {
  it('formats bytes, durations, rates and timestamps', () => {
    expect([0, 512, 1536, 3 * 1024 ** 2, 15.5 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '512 B', '1.50 KiB', '3.00 MiB', '15.5 GiB'])
    expect([450, 12_340, 245_000, 7_620_000, 3 * 86_400_000 + 4 * 3_600_000, -1].map(formatDuration)).toEqual(['450ms', '12.3s', '4m05s', '2h07m', '3d04h', '-'])
    expect(formatRate(2048, 1000)).toBe('2.00 KiB/s')
    expect(formatTimestamp(1_700_000_000_000)).toBe('2023-11-14 22:13:20')
    expect(formatTimestamp(undefined)).toBe('-')
  })
})

describe('writers', () => {
  it('quotes CSV fields that need it', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"\n')
    expect(toCsv({ headers: ['x', 'y'], rows: [['1', '2']] })).toBe('x,y\n1,2\n')
  })
  it('aligns text tables', () => {
    expect(toText({ headers: ['id', 'name'], rows: [['1', 'alpha'], ['22', 'b']] })).toBe('id  name\n--  -----\n1   alpha\n22  b\n')
  })
  it("writes NaN and infinities in MLflow's JSON form", () => {
    expect(JSON.parse(toJson({ a: Number.NaN, b: Infinity, c: 1 }))).toEqual({ a: 'NaN', b: 'Infinity', c: 1 })
  })
})

describe('Progress', () => {
  it('prints only a summary line when stderr is not a terminal', () => {
    const out = stream(false)
    const p = new Progress('runs', { noun: 'runs', stream: out, intervalMs: 0 })
    p.advance(1000)
    p.advance(200)
    p.finish()
    expect(out.chunks).toHaveLength(1)
    expect(out.chunks[0]).toMatch(/^runs: 1200 runs in \S+\n$/)
  })
  it('draws a bar with bytes and rate on a terminal, then clears it', () => {
    const out = stream(true)
    const p = new Progress('upload', { unit: 'bytes', noun: 'files', total: 4096, stream: out, intervalMs: 0 })
    p.advance(2048, 1)
    const first = out.chunks[0] ?? ''
    expect(first.startsWith('\rupload [##############..............]  50% 2.00 KiB/4.00 KiB  ')).toBe(true)
    expect(first.endsWith('/s\x1b[K')).toBe(true)
    p.advance(2048, 1)
    p.finish()
    const last = out.chunks.at(-1) ?? ''
    expect(last.startsWith('\r\x1b[Kupload: 2 files, 4.00 KiB in ')).toBe(true)
    expect(last).toMatch(/\/s\)\n$/)
  })
})
