import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Dependency direction (docs/architecture.md): core <- store <- server <- cli; core never does I/O. */
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
})

export default tseslint.config(
  { ignores: ['node_modules/**', '.venv/**', '**/dist/**', 'bench/results/**', '.scratch/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['node:*', '@logbook/store', '@logbook/server', '@logbook/cli', 'pg', 'better-sqlite3', 'kysely'], 'core is pure: no I/O and no server-side packages (it runs in browsers)'),
  },
  {
    files: ['packages/store/src/**/*.ts'],
    rules: restrict(['@logbook/server', '@logbook/cli', 'hono'], 'store must not depend on server or cli'),
  },
  {
    files: ['packages/artifacts/src/**/*.ts'],
    rules: restrict(['@logbook/store', '@logbook/server', '@logbook/cli', 'hono', 'pg', 'better-sqlite3', 'kysely'], 'artifacts may import core only'),
  },
  {
    // Relative reaches into other packages too; only testing/ may re-export the shared test helpers.
    files: ['packages/artifacts/src/**/*.ts'],
    ignores: ['packages/artifacts/src/testing/**'],
    rules: restrict(['@logbook/store', '@logbook/server', '@logbook/cli', 'hono', 'pg', 'better-sqlite3', 'kysely', '**/store/src/**', '**/server/src/**', '**/cli/src/**'], 'artifacts may import core only'),
  },
  {
    files: ['packages/server/src/**/*.ts'],
    rules: restrict(['@logbook/cli', 'pg', 'better-sqlite3', 'kysely'], 'server talks to storage only through @logbook/store'),
  },
  {
    // node.ts is the Node-only entry (@logbook/sdk/node) with its modules in node/; testing/ spawns a real server for tests.
    files: ['packages/sdk/src/**/*.ts'],
    ignores: ['packages/sdk/src/node.ts', 'packages/sdk/src/node/**', 'packages/sdk/src/testing/**', '**/*.test.ts'],
    rules: restrict(['node:*', '@logbook/store', '@logbook/server', '@logbook/artifacts', '@logbook/cli', '**/store/src/**', '**/server/src/**', '**/artifacts/src/**', '**/cli/src/**'], 'the sdk is fetch-only and browser-safe: core only, no Node built-ins'),
  },
  {
    files: ['packages/ui/src/**/*.{ts,tsx}'],
    rules: restrict(['node:*', '@logbook/store', '@logbook/server', '@logbook/artifacts', '@logbook/cli', '**/store/src/**', '**/server/src/**', '**/artifacts/src/**', '**/cli/src/**'], 'the UI runs in the browser: core and sdk only'),
  },
)
