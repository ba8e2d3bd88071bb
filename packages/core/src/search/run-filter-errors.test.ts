import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import { parseRunFilter } from './run-filter.ts'

/** The message of the error parseRunFilter throws; also checks its code and that it quotes the filter. */
function filterError(filter: string): string {
  try {
    parseRunFilter(filter)
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    expect((e as MlflowError).code).toBe('INVALID_PARAMETER_VALUE')
    expect((e as MlflowError).status).toBe(400)
    expect((e as MlflowError).message).toContain(`Invalid filter "${filter}": `)
    return (e as MlflowError).message
  }
  throw new Error(`expected parseRunFilter(${filter}) to throw`)
}

describe('parseRunFilter: syntax errors', () => {
  it('points at an unexpected token', () => {
    expect(filterError('metrics.x >> 1')).toBe(
      `Invalid filter "metrics.x >> 1": unexpected '>' at position 12. Expected a number`,
    )
    expect(filterError("metrics.a > 1 params.b = 'x'")).toContain(
      "unexpected 'params.b' at position 15",
    )
    expect(filterError('metrics.a 1')).toContain("unexpected '1' at position 11")
  })

  it('reports unbalanced parentheses', () => {
    expect(filterError('(metrics.a > 1')).toContain("unclosed '(' at position 1")
    expect(filterError('metrics.a > 1)')).toContain(
      "unbalanced parenthesis: unexpected ')' at position 14",
    )
    expect(filterError('()')).toContain("unexpected ')' at position 2")
    expect(filterError("(metrics.a > 1 params.b = 'x')")).toContain(
      "unexpected 'params.b' at position 16",
    )
  })

  it('reports a dangling AND or OR at the keyword', () => {
    expect(filterError('metrics.a > 1 AND')).toContain(
      "expected a comparison after 'AND' at position 15",
    )
    expect(filterError('metrics.a > 1 or ')).toContain(
      "expected a comparison after 'or' at position 15",
    )
    expect(filterError('AND metrics.a > 1')).toContain("unexpected 'AND' at position 1")
  })

  it('reports a missing comparator or value', () => {
    expect(filterError('metrics.a')).toContain(
      "expected a comparator after 'metrics.a' at position 1",
    )
    expect(filterError('metrics.a >')).toContain("expected a number after '>' at position 11")
    expect(filterError('params.a =')).toContain(
      "expected a quoted string value after '=' at position 10",
    )
  })

  it('accepts NOT only as NOT IN', () => {
    expect(filterError('NOT metrics.a > 1')).toContain(
      'NOT is only supported as NOT IN at position 1',
    )
    expect(filterError("params.a NOT LIKE 'x'")).toContain(
      'NOT is only supported as NOT IN at position 10',
    )
  })

  it('requires NULL after IS', () => {
    expect(filterError('params.a IS 5')).toContain("unexpected '5' at position 13")
    expect(filterError("params.a IS NOT 'x'")).toContain("unexpected 'x' at position 17")
  })
})

describe('parseRunFilter: semantic errors', () => {
  it('rejects unknown attributes, listing the valid keys', () => {
    const message = filterError("name = 'x'")
    expect(message).toContain("Invalid attribute key 'name' at position 1")
    expect(message).toContain('Valid attribute keys are: run_id, run_name, status')
    expect(filterError("attributes.nope = 'x'")).toContain(
      "Invalid attribute key 'nope' at position 1",
    )
  })

  it('treats an unknown prefix as part of an unknown attribute name', () => {
    expect(filterError('metricz.rmse > 1')).toContain(
      "Invalid attribute key 'metricz.rmse' at position 1",
    )
    expect(filterError('Metrics.rmse > 1')).toContain("Invalid attribute key 'Metrics.rmse'")
  })

  it('rejects an empty key after a prefix', () => {
    expect(filterError('metrics. > 1')).toContain("missing key after 'metrics.' at position 1")
  })

  it('rejects unknown dataset keys', () => {
    expect(filterError("datasets.source = 'x'")).toContain(
      "Invalid dataset key 'source' at position 1. Valid dataset keys are: name, digest, context",
    )
  })

  it('requires quoted strings for string keys', () => {
    expect(filterError('params.a = adam')).toContain(
      "Expected a quoted string value for param 'a' but got 'adam' at position 12",
    )
    expect(filterError('tags.t = 1')).toContain(
      "Expected a quoted string value for tag 't' but got '1' at position 10",
    )
    expect(filterError('status = `RUNNING`')).toContain(
      "Expected a quoted string value for attribute 'status' but got `RUNNING` at position 10",
    )
  })

  it('requires numbers for metrics and integers for numeric attributes', () => {
    expect(filterError("metrics.a = '1'")).toContain(
      "Expected numeric value type for metric 'a' but got '1' at position 13",
    )
    expect(filterError('metrics.a = abc')).toContain("Expected numeric value type for metric 'a'")
    expect(filterError('start_time > 1.5')).toContain(
      "Expected an integer value for attribute 'start_time' but got '1.5' at position 14",
    )
    expect(filterError("end_time > '5'")).toContain(
      "Expected an integer value for attribute 'end_time'",
    )
    expect(filterError('metrics.a > 1e999')).toContain("Number '1e999' is out of range")
    expect(filterError('created > 99999999999999999999')).toContain('is out of range')
  })

  it('rejects a comparator the entity does not support', () => {
    expect(filterError("metrics.rmse LIKE '1'")).toContain(
      "Invalid comparator 'LIKE' for metric 'rmse' at position 14. Valid comparators are: =, !=, <, <=, >, >=",
    )
    expect(filterError('params.a > 1')).toContain(
      "Invalid comparator '>' for param 'a' at position 10. Valid comparators are: =, !=, LIKE, ILIKE, IS NULL, IS NOT NULL",
    )
    expect(filterError("tags.t IN ('a')")).toContain(
      "Invalid comparator 'IN' for tag 't' at position 8",
    )
    expect(filterError('metrics.a IS NULL')).toContain(
      "Invalid comparator 'IS NULL' for metric 'a' at position 11",
    )
    expect(filterError("start_time LIKE '1%'")).toContain(
      "Invalid comparator 'LIKE' for attribute 'start_time' at position 12",
    )
    expect(filterError('status IS NULL')).toContain(
      "Invalid comparator 'IS NULL' for attribute 'status'",
    )
  })

  it('allows IN only for run_id among attributes', () => {
    expect(filterError("status IN ('A')")).toContain(
      "Invalid comparator 'IN' for attribute 'status' at position 8. Valid comparators are: =, !=, LIKE, ILIKE",
    )
    expect(filterError("run_name NOT IN ('A')")).toContain(
      "Invalid comparator 'NOT IN' for attribute 'run_name' at position 10",
    )
  })

  it('rejects malformed IN lists', () => {
    expect(filterError('run_id IN ()')).toContain("unexpected ')' at position 12")
    expect(filterError("run_id IN 'a'")).toContain("unexpected 'a' at position 11")
    expect(filterError("run_id IN ('a',)")).toContain(
      "Expected a quoted string value in the IN list but got ')' at position 16",
    )
    expect(filterError('run_id IN (1, 2)')).toContain(
      "Expected a quoted string value in the IN list but got '1' at position 12",
    )
    expect(filterError("run_id IN ('a' 'b')")).toContain("unexpected 'b' at position 16")
    expect(filterError("datasets.name IN ('a'")).toContain("unclosed '(' at position 18")
  })

  it('reports tokenizer errors as filter errors', () => {
    expect(filterError("params.a = 'x")).toContain("unterminated string 'x at position 12")
  })
})
