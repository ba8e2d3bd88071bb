import { describe, expect, it } from 'vitest'
import type { RunPlan } from './demo-run.ts'
import { planDemo } from './seed.ts'

const NOW = Date.UTC(2026, 0, 27, 12)

function allRuns(scale: 'small' | 'full'): RunPlan[] {
  return planDemo(scale, NOW).flatMap((e) => [
    ...e.runs,
    ...e.sweeps.flatMap((s) => [s.parent, ...s.children]),
  ])
}

describe('planDemo', () => {
  it('plans the same numbers every time', () => {
    const strip = (runs: RunPlan[]) =>
      runs.map((r) => ({ ...r, artifacts: r.artifacts?.map((a) => a.path) }))
    expect(JSON.stringify(strip(allRuns('full')))).toBe(JSON.stringify(strip(allRuns('full'))))
  })

  it("plans a few hundred runs for 'full' and a dozen or so for 'small'", () => {
    const full = allRuns('full')
    const small = allRuns('small')
    expect(full.length).toBeGreaterThanOrEqual(200)
    expect(full.length).toBeLessThanOrEqual(400)
    expect(small.length).toBeGreaterThanOrEqual(12)
    expect(small.length).toBeLessThanOrEqual(20)
    for (const runs of [full, small]) {
      const statuses = new Set(runs.map((r) => r.status))
      expect([...statuses].sort()).toEqual(['FAILED', 'FINISHED', 'KILLED', 'RUNNING'])
      expect(runs.some((r) => r.deleted)).toBe(true)
      // Names are unique within an experiment (the summary maps names to run ids).
      for (const e of planDemo(runs === full ? 'full' : 'small', NOW)) {
        const names = [...e.runs, ...e.sweeps.flatMap((s) => [s.parent, ...s.children])].map(
          (r) => r.name,
        )
        expect(new Set(names).size).toBe(names.length)
      }
    }
  })

  it('keeps every run in the past and every point inside its run', () => {
    for (const run of allRuns('full')) {
      expect(run.startTime).toBeLessThanOrEqual(NOW)
      expect(run.endTime).toBeGreaterThan(run.startTime)
      if (run.status === 'RUNNING') continue
      expect(run.endTime).toBeLessThanOrEqual(NOW)
      for (const m of run.metrics) {
        expect(m.timestamp).toBeGreaterThanOrEqual(run.startTime)
        expect(m.timestamp).toBeLessThanOrEqual(run.endTime)
      }
    }
  })

  it('gives diverged runs a NaN loss and finished classifiers a loss that falls', () => {
    const mnist = planDemo('full', NOW)[0]!
    const trials = [...mnist.runs, ...mnist.sweeps.flatMap((s) => s.children)]
    const failed = trials.filter((r) => r.status === 'FAILED')
    expect(failed.length).toBeGreaterThan(0)
    for (const run of failed) {
      const loss = run.metrics.filter((m) => m.key === 'train_loss')
      expect(Number.isNaN(loss.at(-1)!.value)).toBe(true)
    }
    for (const run of trials.filter((r) => r.status === 'FINISHED')) {
      const loss = run.metrics.filter((m) => m.key === 'train_loss').map((m) => m.value)
      const acc = run.metrics.filter((m) => m.key === 'val_accuracy').map((m) => m.value)
      expect(loss.at(-1)!).toBeLessThan(loss[0]!)
      expect(acc.at(-1)!).toBeGreaterThan(0.9)
    }
  })
})
