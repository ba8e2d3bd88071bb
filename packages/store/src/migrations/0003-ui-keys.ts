import { sql, type Kysely } from 'kysely'

/**
 * Distinct param, metric and tag keys per experiment, for the UI's column chooser
 * (`experiments/keys`). Reading them from `params`/`tags`/`latest_metrics` means scanning every row
 * of an experiment (5M param rows at 100,000 runs x 50 params); this table holds a few hundred rows
 * per experiment and is maintained on write behind an in-process cache (sql/ui-keys.ts). Keys are
 * only added, never removed, so the list is every key ever logged in the experiment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('experiment_keys')
    .addColumn('experiment_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_keys_pk', ['experiment_id', 'kind', 'key'])
    .execute()
  await sql`insert into experiment_keys (experiment_id, kind, key)
    select distinct r.experiment_id, 'param', p.key from params p join runs r on r.id = p.run_id`.execute(db)
  await sql`insert into experiment_keys (experiment_id, kind, key)
    select distinct r.experiment_id, 'tag', t.key from tags t join runs r on r.id = t.run_id`.execute(db)
  await sql`insert into experiment_keys (experiment_id, kind, key)
    select distinct r.experiment_id, 'metric', mk.key from latest_metrics lm
    join runs r on r.id = lm.run_id join metric_keys mk on mk.id = lm.key_id`.execute(db)
}
