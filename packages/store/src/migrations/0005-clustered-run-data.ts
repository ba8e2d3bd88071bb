import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'

/**
 * SQLite only: `params` and `latest_metrics` become WITHOUT ROWID tables clustered on their
 * (run_id, key) primary keys. Loading the runs of a search page (100 runs x 20 params x 10 metrics)
 * then reads each run's rows as one range of the table instead of an index range plus one table
 * lookup per row: measured 3.1 -> 1.9 ms for the params and 3.9 -> 2.5 ms for the latest metrics of
 * a page at 4,400 runs (CPU time). Rows here are small (param values are mostly short; MLflow caps
 * them at 6,000 characters), which is where WITHOUT ROWID pays. `tags` keep their rowid: tag values
 * such as mlflow.log-model.history or notes run to kilobytes. PostgreSQL is unchanged (no
 * clustered tables; its btree entries cannot include 6 kB values).
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  if (adapter.kind !== 'sqlite') return
  await sql`create table params_clustered (
    run_id bigint not null, key text not null, value text not null,
    constraint params_pk primary key (run_id, key)) without rowid`.execute(db)
  await sql`insert into params_clustered (run_id, key, value) select run_id, key, value from params`.execute(db)
  await sql`drop table params`.execute(db)
  await sql`alter table params_clustered rename to params`.execute(db)
  await sql`create index params_key_value on params (key, value)`.execute(db)

  await sql`create table latest_metrics_clustered (
    run_id bigint not null, key_id bigint not null, step bigint not null, timestamp bigint not null,
    value double precision not null, is_nan smallint not null,
    min_value double precision, max_value double precision, ordered smallint default 1 not null,
    constraint latest_metrics_pk primary key (run_id, key_id)) without rowid`.execute(db)
  await sql`insert into latest_metrics_clustered
    select run_id, key_id, step, timestamp, value, is_nan, min_value, max_value, ordered from latest_metrics`.execute(db)
  await sql`drop table latest_metrics`.execute(db)
  await sql`alter table latest_metrics_clustered rename to latest_metrics`.execute(db)
  await sql`create index latest_metrics_key_value on latest_metrics (key_id, value)`.execute(db)
}
