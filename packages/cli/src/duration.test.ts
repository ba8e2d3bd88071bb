import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.ts'

describe('parseDuration', () => {
  it('reads days, hours, minutes and seconds', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000)
    expect(parseDuration('1d2h3m4s')).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4000)
    expect(parseDuration('45s')).toBe(45_000)
  })
  it('rejects anything else', () => {
    for (const bad of ['', '5', '1w', 'd', '-1d', '1.5d']) expect(() => parseDuration(bad)).toThrow(/Invalid duration/)
  })
})
