import { describe, expect, it } from 'vitest'
import { MlflowError } from './errors.ts'
import {
  generateLoggedModelId,
  parseModelVersion,
  validateAlias,
  validateAliasNotReserved,
  validateLoggedModelName,
  validateRegisteredModelName,
  validateRegistryTag,
} from './registry-validation.ts'

const fails = (run: () => unknown) => expect(run).toThrow(MlflowError)

describe('registry validation', () => {
  it('checks registered model names like MLflow', () => {
    validateRegisteredModelName('my model.v2 (prod)')
    for (const name of ['', ' ', 'a/b', 'a:b', '.', '..', '..a'])
      fails(() => validateRegisteredModelName(name))
    expect(() => validateRegisteredModelName('', 'new_name')).toThrow(/'new_name'/)
  })

  it('parses version numbers and rejects anything else', () => {
    expect(parseModelVersion('12')).toBe(12)
    expect(parseModelVersion(' 3 ')).toBe(3)
    expect(() => parseModelVersion('1.5')).toThrow(
      "Parameter 'version' must be an integer, got '1.5'.",
    )
    fails(() => parseModelVersion('latest'))
  })

  it('checks aliases and reserved aliases', () => {
    validateAlias('champion_1-b')
    for (const alias of ['', 'a b', 'a.b', 'x'.repeat(256)]) fails(() => validateAlias(alias))
    for (const alias of ['latest', 'LaTeSt', 'v1', 'V42'])
      fails(() => validateAliasNotReserved(alias))
    validateAliasNotReserved('v1a')
  })

  it('checks registry tags and logged model names', () => {
    validateRegistryTag('k', 'x'.repeat(100_000))
    fails(() => validateRegistryTag('k', 'x'.repeat(100_001)))
    fails(() => validateRegistryTag('a$b', 'v'))
    validateLoggedModelName(undefined)
    validateLoggedModelName('model_1-a')
    for (const name of ['', 'a.b', 'a/b', 'a:b', 'a%b', 'a"b', "a'b"])
      fails(() => validateLoggedModelName(name))
  })

  it('generates MLflow-shaped model ids', () => {
    expect(generateLoggedModelId()).toMatch(/^m-[0-9a-f]{32}$/)
  })
})
