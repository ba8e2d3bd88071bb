/** Search filter and order_by parsing for runs, experiments, the model registry and logged models. */
export * from './ast.ts'
export { parseRunFilter } from './run-filter.ts'
export { parseRunOrderBy } from './run-order-by.ts'
export { parseRunTableOrderBy } from './run-table-order-by.ts'
export { parseExperimentFilter, parseExperimentOrderBy } from './experiment-filter.ts'
export {
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
} from './registry-filter.ts'
export { parseLoggedModelFilter, parseLoggedModelOrderBy } from './logged-model-filter.ts'
export type { LoggedModelOrderByIn, LoggedModelOrderTerm } from './logged-model-filter.ts'
