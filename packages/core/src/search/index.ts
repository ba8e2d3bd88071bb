/** Search filter and order_by parsing for runs and experiments. */
export * from './ast.ts'
export { parseRunFilter } from './run-filter.ts'
export { parseRunOrderBy } from './run-order-by.ts'
export { parseExperimentFilter, parseExperimentOrderBy } from './experiment-filter.ts'
