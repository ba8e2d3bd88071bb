import type { Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import * as m0001 from './0001-initial.ts'
import * as m0002 from './0002-models.ts'
import * as m0003 from './0003-ui-keys.ts'
import * as m0004 from './0004-auth.ts'
import * as m0005 from './0005-clustered-run-data.ts'
import * as m0006 from './0006-metric-blocks.ts'
import * as m0007 from './0007-metric-blocks-coarse.ts'
import * as m0008 from './0008-metric-block-pages.ts'
import * as m0009 from './0009-metric-chunks.ts'

/** One migration: a number, a name and an `up` that runs inside the migration transaction. */
export interface Migration {
  version: number
  name: string
  up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void>
}

/** Every migration, in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'initial', up: m0001.up },
  { version: 2, name: 'models', up: m0002.up },
  { version: 3, name: 'ui-keys', up: m0003.up },
  { version: 4, name: 'auth', up: m0004.up },
  { version: 5, name: 'clustered-run-data', up: m0005.up },
  { version: 6, name: 'metric-blocks', up: m0006.up },
  { version: 7, name: 'metric-blocks-coarse', up: m0007.up },
  { version: 8, name: 'metric-block-pages', up: m0008.up },
  { version: 9, name: 'metric-chunks', up: m0009.up },
]
