import { describe, expect, it } from 'vitest'
import type { WireRun } from '../run/types.ts'
import { loadRuns, type RunSource } from './use-url-runs.ts'

const run = (id: string, experimentId: string): WireRun => ({
  info: { run_id: id, experiment_id: experimentId, status: 'FINISHED', lifecycle_stage: 'active' },
  data: {},
})

/** A fake REST API over some runs that records the calls made. */
function source(runs: WireRun[]): RunSource & { calls: string[] } {
  const calls: string[] = []
  const byId = new Map(runs.map((r) => [r.info.run_id, r]))
  return {
    calls,
    get(id) {
      calls.push(`get ${id}`)
      const found = byId.get(id)
      return found ? Promise.resolve(found) : Promise.reject(new Error(`Run '${id}' not found`))
    },
    search(experimentId, ids) {
      calls.push(`search ${experimentId} ${ids.join(',')}`)
      return Promise.resolve(runs.filter((r) => r.info.experiment_id === experimentId && ids.includes(r.info.run_id)))
    },
  }
}

describe('loadRuns', () => {
  it('gets the first run, then searches its experiment for the rest, in the order asked', async () => {
    const api = source([run('a1', '1'), run('a2', '1'), run('a3', '1'), run('a4', '1')])
    const runs = await loadRuns(['a3', 'a1', 'a4', 'a2'], api)
    expect(runs.map((r) => r.info.run_id)).toEqual(['a3', 'a1', 'a4', 'a2'])
    expect(api.calls).toEqual(['get a3', 'search 1 a1,a4,a2'])
  })

  it('falls back to runs/get for runs of other experiments and ids a filter cannot quote', async () => {
    const odd = "x'y"
    const api = source([run('a1', '1'), run('b1', '2'), run('a2', '1'), run(odd, '1')])
    const runs = await loadRuns(['a1', 'b1', 'a2', odd, 'a1'], api)
    expect(runs.map((r) => r.info.run_id)).toEqual(['a1', 'b1', 'a2', odd, 'a1'])
    expect(api.calls).toEqual(['get a1', 'search 1 b1,a2', 'get b1', `get ${odd}`])
  })

  it('asks for one or two runs directly, and fails when a run does not exist', async () => {
    const api = source([run('a1', '1'), run('a2', '1'), run('a3', '1')])
    expect((await loadRuns(['a2', 'a1'], api)).map((r) => r.info.run_id)).toEqual(['a2', 'a1'])
    expect(api.calls).toEqual(['get a2', 'get a1'])
    await expect(loadRuns(['a1', 'a2', 'zz'], api)).rejects.toThrow("Run 'zz' not found")
  })

  it('splits long id lists into searches of 100', async () => {
    const runs = Array.from({ length: 250 }, (_, i) => run(`r${i}`, '1'))
    const api = source(runs)
    expect((await loadRuns(runs.map((r) => r.info.run_id), api)).length).toBe(250)
    expect(api.calls.filter((c) => c.startsWith('search')).map((c) => c.split(',').length)).toEqual([100, 100, 49])
  })
})
