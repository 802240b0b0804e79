/**
 * The `duckdag` schema inside the warehouse: run history, materialization history and the stored
 * values of value assets. Plain tables, so analysts can query them with any DuckDB client.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** The schema holding duckdag's own tables. */
export const historySchema = 'duckdag';

const statements = [
  `CREATE SCHEMA IF NOT EXISTS duckdag`,
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
];

/** Creates duckdag's tables where they are missing, in one transaction (one commit to sync, not four). */
export async function ensureHistorySchema(connection: DuckDBConnection): Promise<void> {
  await connection.run(['BEGIN TRANSACTION', ...statements, 'COMMIT'].join(';\n'));
}
