import { describe, expect, it } from 'vitest'
import { column } from './columns.ts'
import { runsToCsv } from './bulk.ts'
import type { TableRun } from './types.ts'

describe('runsToCsv', () => {
  it('writes base fields, chosen columns at full precision, and quotes what needs quoting', () => {
    const run: TableRun = {
      run_id: 'abc',
      run_name: 'a, "b"',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: Date.UTC(2026, 0, 2, 3, 4, 5),
      end_time: Date.UTC(2026, 0, 2, 3, 4, 7),
      lifecycle_stage: 'active',
      user_id: 'me',
      params: { lr: '0.1' },
      metrics: { loss: { last: 0.123456789, min: 'NaN', max: 2, step: 3, timestamp: 0 } },
    }
    const csv = runsToCsv(
      [run],
      [
        column('metric', 'loss'),
        column('metric', 'loss', 'min'),
        column('param', 'lr'),
        column('tag', 'team'),
      ],
    )
    expect(csv.split('\n')).toEqual([
      'run_id,run_name,experiment_id,status,start_time,duration,user_id,metrics.loss,min(metrics.loss),params.lr,tags.team',
      'abc,"a, ""b""",1,FINISHED,2026-01-02T03:04:05.000Z,2000,me,0.123456789,NaN,0.1,',
      '',
    ])
  })
})
