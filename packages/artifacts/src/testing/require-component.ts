/** The repository's one skip-or-fail rule for missing test components (LOGBOOK_REQUIRE_ALL=1 fails). */
export {
  MissingComponentError,
  requireAll,
  requireComponent,
} from '../../../store/src/testing/require-component.ts'
