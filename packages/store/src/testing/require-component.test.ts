import { afterEach, describe, expect, it, vi } from 'vitest'
import { MissingComponentError, requireComponent } from './require-component.ts'

describe('requireComponent', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('returns true for an available component without warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(requireComponent('Thing', true, 'why', { LOGBOOK_REQUIRE_ALL: '1' })).toBe(true)
    expect(warn).not.toHaveBeenCalled()
  })

  it('warns loudly and returns false for a missing component by default', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(requireComponent('Thing', false, 'not installed', {})).toBe(false)
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      'SKIPPED: Thing is not available: not installed',
    )
  })

  it('throws for a missing component under LOGBOOK_REQUIRE_ALL=1', () => {
    expect(() =>
      requireComponent('Thing', false, 'not installed', { LOGBOOK_REQUIRE_ALL: '1' }),
    ).toThrow(MissingComponentError)
  })
})
