/**
 * The questions the CLI asks of the history: the latest materialization per asset and partition,
 * the recent runs with their outcome counts, and each schedule's latest tick.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../core/kernel/sql.ts';
import { readRows, readTable } from './read-rows.ts';

export interface TableRows {
  readonly columns: string[];
  readonly rows: unknown[][];
}

/** The latest materialization of each asset and partition, optionally for one partition only. */
export async function latestMaterializations(
  connection: DuckDBConnection,
  filter: { partitionKey?: string; perAsset?: boolean } = {},
): Promise<TableRows> {
  const where = filter.partitionKey === undefined ? '' : `WHERE m.partition_key = ${literal(filter.partitionKey).text}`;
  const window = filter.perAsset === true ? 'm.asset' : 'm.asset, m.partition_key';
  return readTable(
    connection,
    `SELECT m.asset, m.partition_key, m.status, m.row_count, strftime(m.finished_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS finished_at,
            m.duration_ms, m.attempts, coalesce(m.error, m.reason) AS detail, m.run_id, t.schedule
     FROM duckdag.materializations m LEFT JOIN duckdag.schedule_ticks t USING (run_id) ${where}
     QUALIFY row_number() OVER (PARTITION BY ${window} ORDER BY m.finished_at DESC) = 1
     ORDER BY m.asset, m.partition_key`,
  );
}

/** The most recent runs, newest first, with how many assets ended in each status. */
export async function recentRuns(connection: DuckDBConnection, limit: number): Promise<TableRows> {
  return readTable(
    connection,
    `SELECT r.run_id, r.status, r.partition_key, r.selection, t.schedule,
            strftime(r.started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS started_at,
            CAST(date_diff('millisecond', r.started_at, r.finished_at) AS BIGINT) AS duration_ms,
            count(*) FILTER (WHERE m.status = 'materialized') AS materialized,
            count(*) FILTER (WHERE m.status = 'skipped') AS skipped,
            count(*) FILTER (WHERE m.status = 'failed') AS failed,
            count(*) FILTER (WHERE m.status = 'upstream_failed') AS upstream_failed,
            count(*) FILTER (WHERE m.status = 'cancelled') AS cancelled
     FROM duckdag.runs r LEFT JOIN duckdag.materializations m USING (run_id) LEFT JOIN duckdag.schedule_ticks t USING (run_id)
     GROUP BY r.run_id, r.status, r.partition_key, r.selection, t.schedule, r.started_at, r.finished_at
     ORDER BY r.started_at DESC
     LIMIT ${literal(limit).text}`,
  );
}

/** The latest tick of each schedule, by name. */
export async function latestTicks(connection: DuckDBConnection): Promise<Map<string, Record<string, unknown>>> {
  const rows = await readRows(
    connection,
    `SELECT schedule, strftime(tick_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS tick_at, partition_key, status, reason, run_id
     FROM duckdag.schedule_ticks
     QUALIFY row_number() OVER (PARTITION BY schedule ORDER BY tick_at DESC) = 1`,
  );
  return new Map(rows.map((row) => [String(row.schedule), row]));
}
