import { afterEach, beforeEach, expect, it } from 'vitest'
import type { LogbookStore } from './logbook-store.ts'
import { expectCode } from './runs.case.ts'

/** AuthStore cases: users and passwords, tokens and sessions, MLflow's grants. */
export function authCases(fresh: () => Promise<LogbookStore>): void {
  let store: LogbookStore
  beforeEach(async () => {
    store = await fresh()
  })
  afterEach(async () => {
    await store.close()
  })

  it('creates users with scrypt hashes, verifies passwords and refuses weak ones', async () => {
    expect(await store.countUsers()).toBe(0)
    const alice = await store.createUser('alice', 'correct horse', true)
    expect(alice).toMatchObject({ username: 'alice', is_admin: true })
    await expectCode(store.createUser('alice', 'another password'), 'RESOURCE_ALREADY_EXISTS')
    await expectCode(store.createUser('bob', 'short'), 'INVALID_PARAMETER_VALUE', /at least 8/)
    await expectCode(store.createUser('', 'long enough pw'), 'INVALID_PARAMETER_VALUE')
    expect(await store.verifyPassword('alice', 'correct horse')).toMatchObject({ id: alice.id })
    // Second time from the in-process cache; a wrong password still fails afterwards.
    expect(await store.verifyPassword('alice', 'correct horse')).toMatchObject({ id: alice.id })
    expect(await store.verifyPassword('alice', 'wrong horse!')).toBeUndefined()
    expect(await store.verifyPassword('nobody', 'correct horse')).toBeUndefined()
    await store.updatePassword('alice', 'battery staple')
    expect(await store.verifyPassword('alice', 'correct horse')).toBeUndefined()
    expect(await store.verifyPassword('alice', 'battery staple')).toMatchObject({ id: alice.id })
    await store.updateAdmin('alice', false)
    expect(await store.getUser('alice')).toMatchObject({ is_admin: false })
    await expectCode(store.getUser('nobody'), 'RESOURCE_DOES_NOT_EXIST', /username=nobody not found/)
    expect((await store.listUsers()).map((u) => u.username)).toEqual(['alice'])
  })

  it('stores only token hashes; revoked, expired and session tokens are told apart', async () => {
    const u = await store.createUser('carol', 'password one')
    const { token, info } = await store.createToken(u.id, { name: 'laptop', kind: 'personal' })
    expect(token).toMatch(/^lbk_[A-Za-z0-9_-]{43}$/)
    expect(info).toMatchObject({ name: 'laptop', last_used_ms: null, revoked_ms: null })
    expect(await store.userForToken(token, 'personal')).toMatchObject({ username: 'carol' })
    expect(await store.userForToken(token, 'session')).toBeUndefined()
    const [listed] = await store.listTokens(u.id, 'personal')
    expect(listed?.last_used_ms).toBeGreaterThan(0)
    expect(JSON.stringify(listed)).not.toContain(token.slice(4))
    await store.revokeToken(u.id, info.id)
    expect(await store.userForToken(token, 'personal')).toBeUndefined()
    expect((await store.listTokens(u.id, 'personal'))[0]?.revoked_ms).toBeGreaterThan(0)
    const other = await store.createUser('dave', 'password two')
    const second = await store.createToken(u.id, { name: 'ci', kind: 'personal' })
    await expectCode(store.revokeToken(other.id, second.info.id), 'RESOURCE_DOES_NOT_EXIST')
    const expired = await store.createToken(u.id, { name: 'old', kind: 'personal', expiresMs: Date.now() - 1 })
    expect(await store.userForToken(expired.token, 'personal')).toBeUndefined()
    const session = await store.createToken(u.id, { name: 'ui', kind: 'session', expiresMs: Date.now() + 60_000 })
    expect(await store.userForToken(session.token, 'session')).toMatchObject({ username: 'carol' })
    await store.revokeTokenValue(session.token)
    expect(await store.userForToken(session.token, 'session')).toBeUndefined()
    const upload = await store.createToken(u.id, { name: 'upload-1', kind: 'upload', expiresMs: Date.now() + 60_000 })
    expect(await store.userForToken(upload.token, 'upload', 'upload-1')).toMatchObject({ username: 'carol' })
    expect(await store.userForToken(upload.token, 'upload', 'upload-2')).toBeUndefined()
    expect(await store.userForToken(upload.token, 'personal')).toBeUndefined()
    await store.deleteUser('carol')
    expect(await store.userForToken(second.token, 'personal')).toBeUndefined()
  })

  it("keeps MLflow's experiment and registered-model grant semantics", async () => {
    const u = await store.createUser('erin', 'password three')
    const exp = await store.createExperiment('e1')
    const target = { kind: 'experiment', id: exp } as const
    await expectCode(store.getPermission(target, 'erin'), 'RESOURCE_DOES_NOT_EXIST')
    await store.createPermission(target, 'erin', 'READ')
    await expectCode(store.createPermission(target, 'erin', 'EDIT'), 'RESOURCE_ALREADY_EXISTS')
    expect(await store.getPermission(target, 'erin')).toBe('READ')
    await store.updatePermission(target, 'erin', 'MANAGE')
    expect(await store.experimentGrants(u.id, [exp, '999', 'x'])).toEqual(new Map([[exp, 'MANAGE']]))
    await expectCode(store.updatePermission(target, 'erin', 'ALL' as never), 'INVALID_PARAMETER_VALUE')
    await store.deletePermission(target, 'erin')
    await expectCode(store.deletePermission(target, 'erin'), 'RESOURCE_DOES_NOT_EXIST')
    await expectCode(store.createPermission(target, 'nobody', 'READ'), 'RESOURCE_DOES_NOT_EXIST')

    const model = { kind: 'registered_model', name: 'iris' } as const
    await store.setPermission(model, u.id, 'EDIT')
    await store.setPermission(model, u.id, 'MANAGE')
    expect(await store.getPermission(model, 'erin')).toBe('MANAGE')
    await store.renameRegisteredModelGrants('iris', 'iris2')
    expect(await store.registeredModelGrants(u.id, ['iris', 'iris2'])).toEqual(new Map([['iris2', 'MANAGE']]))
    expect(await store.listRegisteredModelPermissions(u.id)).toEqual([{ name: 'iris2', user_id: u.id, permission: 'MANAGE' }])
    await store.deleteRegisteredModelGrants('iris2')
    expect(await store.listRegisteredModelPermissions(u.id)).toEqual([])
  })

  it('resolves runs, logged models and experiment names to experiment ids', async () => {
    const exp = await store.createExperiment('e2')
    const run = await store.createRun({ experimentId: exp, tags: [] })
    expect(await store.experimentOfRun(run.info.run_id)).toBe(exp)
    expect(await store.experimentOfRun('0'.repeat(32))).toBeUndefined()
    const model = await store.createLoggedModel({ experimentId: exp, params: [], tags: [] })
    expect(await store.experimentOfLoggedModel(model.info.model_id)).toBe(exp)
    expect(await store.experimentIdByName('e2')).toBe(exp)
    expect(await store.experimentIdByName('nope')).toBeUndefined()
  })
}
