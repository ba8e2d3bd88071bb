import { describe, expect, it } from 'vitest'
import type { Comparator, Comparison, Entity } from './ast.ts'
import { parseRunFilter } from './run-filter.ts'

const cmp = (
  entity: Entity,
  key: string,
  op: Comparator,
  value: Comparison['value'],
): Comparison => ({ kind: 'cmp', entity, key, op, value })

describe('parseRunFilter: empty input', () => {
  it('returns undefined for undefined, empty and blank filters', () => {
    expect(parseRunFilter(undefined)).toBeUndefined()
    expect(parseRunFilter('')).toBeUndefined()
    expect(parseRunFilter('  \t\n ')).toBeUndefined()
  })
})

describe('parseRunFilter: metrics', () => {
  it.each([
    ['metrics.rmse = 1', '=', 1],
    ['metrics.rmse != 1', '!=', 1],
    ['metrics.rmse < 0.5', '<', 0.5],
    ['metrics.rmse <= -2', '<=', -2],
    ['metrics.rmse > 1e-3', '>', 0.001],
    ['metrics.rmse >= -1.5E2', '>=', -150],
    ['metric.rmse>=.25', '>=', 0.25],
  ] as const)('%s', (filter, op, value) => {
    expect(parseRunFilter(filter)).toEqual(cmp('metric', 'rmse', op, value))
  })

  it('accepts backticked and double-quoted metric keys', () => {
    expect(parseRunFilter('metrics.`my metric` >= 0.5')).toEqual(
      cmp('metric', 'my metric', '>=', 0.5),
    )
    expect(parseRunFilter('metrics."val/loss" < 2')).toEqual(cmp('metric', 'val/loss', '<', 2))
  })

  it('keeps dots after the first one in the key', () => {
    expect(parseRunFilter('metrics.train.loss < 2')).toEqual(cmp('metric', 'train.loss', '<', 2))
  })
})

describe('parseRunFilter: params and tags', () => {
  it('parses every string comparator for params under each prefix alias', () => {
    for (const prefix of ['params', 'param', 'parameters', 'parameter']) {
      expect(parseRunFilter(`${prefix}.opt = 'adam'`)).toEqual(cmp('param', 'opt', '=', 'adam'))
    }
    expect(parseRunFilter("params.opt != 'sgd'")).toEqual(cmp('param', 'opt', '!=', 'sgd'))
    expect(parseRunFilter("params.opt LIKE 'ad%'")).toEqual(cmp('param', 'opt', 'LIKE', 'ad%'))
    expect(parseRunFilter("params.opt ILIKE '%AM'")).toEqual(cmp('param', 'opt', 'ILIKE', '%AM'))
  })

  it('splits the identifier at the first dot only', () => {
    expect(parseRunFilter("params.model.lr = '0.1'")).toEqual(cmp('param', 'model.lr', '=', '0.1'))
    expect(parseRunFilter("tags.mlflow.source.type = 'LOCAL'")).toEqual(
      cmp('tag', 'mlflow.source.type', '=', 'LOCAL'),
    )
  })

  it('accepts quoted keys and double-quoted values', () => {
    expect(parseRunFilter(`tags."mlflow.source.type" = 'LOCAL'`)).toEqual(
      cmp('tag', 'mlflow.source.type', '=', 'LOCAL'),
    )
    expect(parseRunFilter("tag.`my tag` like '%x%'")).toEqual(cmp('tag', 'my tag', 'LIKE', '%x%'))
    expect(parseRunFilter('params.opt = "adam"')).toEqual(cmp('param', 'opt', '=', 'adam'))
  })

  it('unescapes quotes inside values', () => {
    expect(parseRunFilter("tags.note = 'it''s'")).toEqual(cmp('tag', 'note', '=', "it's"))
    expect(parseRunFilter("tags.note = 'it\\'s'")).toEqual(cmp('tag', 'note', '=', "it's"))
    expect(parseRunFilter('tags.note = "say \\"hi\\""')).toEqual(
      cmp('tag', 'note', '=', 'say "hi"'),
    )
  })

  it('parses IS NULL and IS NOT NULL in any case', () => {
    expect(parseRunFilter('params.lr IS NULL')).toEqual(cmp('param', 'lr', 'IS NULL', null))
    expect(parseRunFilter('tags.x is not null')).toEqual(cmp('tag', 'x', 'IS NOT NULL', null))
  })
})

describe('parseRunFilter: attributes', () => {
  it('accepts every string attribute with and without a prefix', () => {
    for (const key of ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']) {
      expect(parseRunFilter(`${key} = 'v'`)).toEqual(cmp('attribute', key, '=', 'v'))
      for (const prefix of ['attributes', 'attribute', 'attr', 'run']) {
        expect(parseRunFilter(`${prefix}.${key} LIKE 'v%'`)).toEqual(
          cmp('attribute', key, 'LIKE', 'v%'),
        )
      }
    }
  })

  it('parses numeric attributes as integers', () => {
    expect(
      parseRunFilter("attributes.status != 'FAILED' AND attributes.start_time > 1714400000000"),
    ).toEqual({
      kind: 'and',
      items: [
        cmp('attribute', 'status', '!=', 'FAILED'),
        cmp('attribute', 'start_time', '>', 1714400000000),
      ],
    })
    expect(parseRunFilter('end_time <= 10')).toEqual(cmp('attribute', 'end_time', '<=', 10))
  })

  it('maps the created and run name aliases to canonical keys', () => {
    expect(parseRunFilter('created > 5')).toEqual(cmp('attribute', 'start_time', '>', 5))
    expect(parseRunFilter('attributes.Created >= 5')).toEqual(
      cmp('attribute', 'start_time', '>=', 5),
    )
    for (const alias of ['`run name`', '`Run name`', '`Run Name`', '"Run Name"']) {
      expect(parseRunFilter(`${alias} = 'x'`)).toEqual(cmp('attribute', 'run_name', '=', 'x'))
    }
    expect(parseRunFilter("attributes.`Run Name` ILIKE 'x%'")).toEqual(
      cmp('attribute', 'run_name', 'ILIKE', 'x%'),
    )
  })

  it('parses run_id IN and NOT IN lists, keeping values as given', () => {
    expect(parseRunFilter("run_id IN ('a1', 'B2')")).toEqual(
      cmp('attribute', 'run_id', 'IN', ['a1', 'B2']),
    )
    expect(parseRunFilter(`attributes.run_id not in ("x", 'x')`)).toEqual(
      cmp('attribute', 'run_id', 'NOT IN', ['x', 'x']),
    )
  })
})

describe('parseRunFilter: datasets', () => {
  it('parses every dataset key and comparator', () => {
    expect(parseRunFilter("datasets.name = 'train'")).toEqual(cmp('dataset', 'name', '=', 'train'))
    expect(parseRunFilter("dataset.context != 'eval'")).toEqual(
      cmp('dataset', 'context', '!=', 'eval'),
    )
    expect(parseRunFilter("datasets.name ILIKE 'tr%'")).toEqual(
      cmp('dataset', 'name', 'ILIKE', 'tr%'),
    )
    expect(parseRunFilter("datasets.digest IN ('ab')")).toEqual(
      cmp('dataset', 'digest', 'IN', ['ab']),
    )
    expect(parseRunFilter("datasets.digest NOT IN ('ab', 'cd')")).toEqual(
      cmp('dataset', 'digest', 'NOT IN', ['ab', 'cd']),
    )
  })
})

describe('parseRunFilter: boolean structure', () => {
  const a = cmp('metric', 'a', '>', 1)
  const b = cmp('metric', 'b', '>', 2)
  const c = cmp('metric', 'c', '>', 3)
  const d = cmp('metric', 'd', '>', 4)

  it('binds AND tighter than OR', () => {
    expect(parseRunFilter('metrics.a > 1 AND metrics.b > 2 OR metrics.c > 3')).toEqual({
      kind: 'or',
      items: [{ kind: 'and', items: [a, b] }, c],
    })
    expect(parseRunFilter('metrics.a > 1 or metrics.b > 2 and metrics.c > 3')).toEqual({
      kind: 'or',
      items: [a, { kind: 'and', items: [b, c] }],
    })
  })

  it('honours parentheses', () => {
    expect(parseRunFilter('metrics.a > 1 AND (metrics.b > 2 OR metrics.c > 3)')).toEqual({
      kind: 'and',
      items: [a, { kind: 'or', items: [b, c] }],
    })
    expect(
      parseRunFilter("metrics.acc > 0.9 OR (params.opt = 'adam' AND metrics.loss < 1e-3)"),
    ).toEqual({
      kind: 'or',
      items: [
        cmp('metric', 'acc', '>', 0.9),
        {
          kind: 'and',
          items: [cmp('param', 'opt', '=', 'adam'), cmp('metric', 'loss', '<', 0.001)],
        },
      ],
    })
  })

  it('flattens nested groups of the same kind and unwraps single items', () => {
    expect(
      parseRunFilter('(metrics.a > 1 AND metrics.b > 2) AND (metrics.c > 3 AND metrics.d > 4)'),
    ).toEqual({ kind: 'and', items: [a, b, c, d] })
    expect(parseRunFilter('metrics.a > 1 OR (metrics.b > 2 OR (metrics.c > 3))')).toEqual({
      kind: 'or',
      items: [a, b, c],
    })
    expect(parseRunFilter('((metrics.a > 1))')).toEqual(a)
  })

  it('reads keywords in any case', () => {
    expect(parseRunFilter("metrics.a > 1 and params.p like 'x' Or tags.t ILIKE 'y'")).toEqual({
      kind: 'or',
      items: [
        { kind: 'and', items: [a, cmp('param', 'p', 'LIKE', 'x')] },
        cmp('tag', 't', 'ILIKE', 'y'),
      ],
    })
  })
})
