import { describe, expect, it } from 'vitest'
import { column, orderByFor, parseColumn, parseColumns, serializeColumns } from './columns.ts'
import { andFilters, readViewState, tableRequest } from './view-state.ts'

describe('runs table view state', () => {
  it('round-trips columns through the URL, keys with commas, colons and parentheses included', () => {
    const cols = [
      column('metric', 'val/loss'),
      column('metric', 'a,b', 'min'),
      column('param', 'x:y'),
      column('tag', 'f(x)'),
    ]
    expect(parseColumns(serializeColumns(cols))).toEqual(cols)
    expect(cols.map((c) => c.id)).toEqual([
      'metrics.val/loss',
      'min(metrics.a,b)',
      'params.x:y',
      'tags.f(x)',
    ])
    expect(parseColumn('nonsense')).toBeUndefined()
    expect(parseColumn('attributes.nope')).toBeUndefined()
  })

  it('builds the server order_by of a column, with backticks and min/max', () => {
    expect(orderByFor(column('metric', 'val loss'), 'desc')).toBe('metrics.`val loss` DESC')
    expect(orderByFor(column('metric', 'loss', 'max'), 'asc')).toBe('max(metrics.`loss`) ASC')
    expect(orderByFor(column('param', 'lr'), 'asc')).toBe('params.`lr` ASC')
    expect(
      orderByFor({ id: 'attributes.duration', kind: 'attribute', key: 'duration' }, 'asc'),
    ).toBeUndefined()
  })

  it('reads a view from the query and turns it into a runs/table request', () => {
    const q = new URLSearchParams({
      filter: "params.a = '1' OR params.a = '2'",
      sort: 'min(metrics.loss)',
      dir: 'asc',
      cols: 'metrics.loss,min(metrics.loss),params.a',
      deleted: '1',
    })
    const view = readViewState(q)
    expect(view.group).toBeUndefined()
    expect(tableRequest(['1', '4'], view)).toEqual({
      experiment_ids: ['1', '4'],
      filter: "params.a = '1' OR params.a = '2'",
      order_by: ['min(metrics.`loss`) ASC'],
      run_view_type: 'ALL',
      columns: { params: ['a'], metrics: ['loss'], tags: [] },
      parents_only: false,
    })
    const plain = readViewState(new URLSearchParams('group=tags.team'))
    expect(plain.group?.id).toBe('tags.team')
    expect(tableRequest(['1'], plain)).toMatchObject({
      order_by: ['attributes.start_time DESC'],
      run_view_type: 'ACTIVE_ONLY',
      parents_only: true,
    })
    expect(readViewState(new URLSearchParams('group=metrics.loss')).group).toBeUndefined()
  })

  it('ANDs filters keeping each side intact', () => {
    expect(andFilters('a = 1 OR b = 2', "params.x = 'y'")).toBe(
      "(a = 1 OR b = 2) AND (params.x = 'y')",
    )
    expect(andFilters(undefined, ' c = 1 ')).toBe('c = 1')
    expect(andFilters('', undefined)).toBeUndefined()
  })
})
