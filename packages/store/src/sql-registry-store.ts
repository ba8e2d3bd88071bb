import type { RegistryStore } from './registry-store.ts'
import type { StoreContext } from './sql/context.ts'
import * as models from './sql/registered-models.ts'
import * as versions from './sql/model-versions.ts'
import * as edits from './sql/model-version-edits.ts'
import * as aliases from './sql/registry-aliases.ts'

/** The SQL implementation of RegistryStore over the tracking store's context (one adapter). */
export function sqlRegistryMethods(ctx: StoreContext): RegistryStore {
  return {
    createRegisteredModel: (input) => models.createRegisteredModel(ctx, input),
    getRegisteredModel: (name) => models.getRegisteredModel(ctx, name),
    renameRegisteredModel: (name, newName) => models.renameRegisteredModel(ctx, name, newName),
    updateRegisteredModel: (name, description) =>
      models.updateRegisteredModel(ctx, name, description),
    deleteRegisteredModel: (name) => models.deleteRegisteredModel(ctx, name),
    searchRegisteredModels: (q) => models.searchRegisteredModels(ctx, q),
    setRegisteredModelTag: (name, key, value) =>
      models.setRegisteredModelTag(ctx, name, key, value),
    deleteRegisteredModelTag: (name, key) => models.deleteRegisteredModelTag(ctx, name, key),
    getLatestVersions: (name, stages) => aliases.getLatestVersions(ctx, name, stages),
    setRegisteredModelAlias: (name, alias, v) =>
      aliases.setRegisteredModelAlias(ctx, name, alias, v),
    deleteRegisteredModelAlias: (name, alias) =>
      aliases.deleteRegisteredModelAlias(ctx, name, alias),
    getModelVersionByAlias: (name, alias) => aliases.getModelVersionByAlias(ctx, name, alias),
    createModelVersion: (input) => versions.createModelVersion(ctx, input),
    getModelVersion: (name, v) => versions.getModelVersion(ctx, name, v),
    updateModelVersion: (name, v, description) =>
      edits.updateModelVersion(ctx, name, v, description),
    deleteModelVersion: (name, v) => edits.deleteModelVersion(ctx, name, v),
    searchModelVersions: (q) => versions.searchModelVersions(ctx, q),
    setModelVersionTag: (name, v, key, value) => edits.setModelVersionTag(ctx, name, v, key, value),
    deleteModelVersionTag: (name, v, key) => edits.deleteModelVersionTag(ctx, name, v, key),
    transitionModelVersionStage: (name, v, stage, archive) =>
      edits.transitionModelVersionStage(ctx, name, v, stage, archive),
    getModelVersionDownloadUri: (name, v) => versions.getModelVersionDownloadUri(ctx, name, v),
  }
}
