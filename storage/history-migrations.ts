/**
 * The `duckdag` schema inside the warehouse, as ordered migrations: run history, materialization
 * history and the stored values of value assets, in plain tables that analysts query with any
 * DuckDB client. A migration is never edited once released; a change is a new one at the end.
 */

export interface HistoryMigration {
  /** 1, 2, 3…: the schema version it brings the warehouse to. */
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const historyMigrations: readonly HistoryMigration[] = [
  {
    version: 1,
    // As duckdag 0.1.0 created them, before migrations were recorded: a warehouse of that release
    // already has these tables and is adopted as it is.
    name: 'runs, materializations and asset values',
    statements: [
      `CREATE TABLE IF NOT EXISTS duckdag.runs (
        run_id VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,
        selection VARCHAR NOT NULL,
        exclude VARCHAR,
        partition_key VARCHAR,
        force BOOLEAN NOT NULL,
        pid INTEGER NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS duckdag.materializations (
        run_id VARCHAR NOT NULL,
        asset VARCHAR NOT NULL,
        partition_key VARCHAR,
        status VARCHAR NOT NULL,
        row_count BIGINT,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        duration_ms BIGINT NOT NULL,
        attempts INTEGER NOT NULL,
        error VARCHAR,
        reason VARCHAR,
        metadata JSON
      )`,
      `CREATE TABLE IF NOT EXISTS duckdag.asset_values (
        asset VARCHAR NOT NULL,
        partition_key VARCHAR,
        value JSON,
        run_id VARCHAR NOT NULL,
        materialized_at TIMESTAMPTZ NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'runs record the duckdag release that ran them',
    statements: [`ALTER TABLE duckdag.runs ADD COLUMN duckdag_version VARCHAR`],
  },
  {
    version: 3,
    name: 'partition swaps in flight, with the backup of the rows they replace',
    statements: [
      `CREATE TABLE duckdag.pending_swaps (
        run_id VARCHAR NOT NULL,
        asset VARCHAR NOT NULL,
        partition_column VARCHAR NOT NULL,
        partition_key VARCHAR NOT NULL,
        backup_table VARCHAR NOT NULL PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: 'materializations record the code version and the upstream assets they were made with',
    statements: [
      `ALTER TABLE duckdag.materializations ADD COLUMN code_version VARCHAR`,
      `ALTER TABLE duckdag.materializations ADD COLUMN upstream VARCHAR[]`,
    ],
  },
  {
    version: 5,
    name: 'check results',
    statements: [
      `CREATE TABLE duckdag.check_results (
        run_id VARCHAR NOT NULL,
        asset VARCHAR NOT NULL,
        partition_key VARCHAR,
        check_name VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        description VARCHAR,
        passed BOOLEAN NOT NULL,
        failing_count BIGINT NOT NULL,
        checked_rows BIGINT NOT NULL,
        allowed_failing BIGINT NOT NULL,
        failing_sample JSON,
        checked_at TIMESTAMPTZ NOT NULL,
        duration_ms BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'schedule ticks, at most one run per schedule and partition',
    statements: [
      // claimed_partition_key is the partition for the one tick of a schedule that runs it, NULL for
      // later ticks that found it taken: the unique key (NULLs are distinct) is what keeps two
      // processes, or a restart after a crash, from running a schedule's partition twice.
      `CREATE TABLE duckdag.schedule_ticks (
        schedule VARCHAR NOT NULL,
        tick_at TIMESTAMPTZ NOT NULL,
        partition_key VARCHAR NOT NULL,
        claimed_partition_key VARCHAR,
        status VARCHAR NOT NULL,
        reason VARCHAR,
        run_id VARCHAR,
        recorded_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        pid INTEGER NOT NULL,
        PRIMARY KEY (schedule, tick_at),
        UNIQUE (schedule, claimed_partition_key)
      )`,
    ],
  },
];
