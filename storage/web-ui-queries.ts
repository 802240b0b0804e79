/**
 * What the web UI's pages read from the warehouse beyond the graph's history: a run and its
 * assets, the schedules' recent ticks, an asset's status per partition, a table's first rows and a
 * value asset's value, and what a plan needs to know is held.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { identifier, literal, sql } from '../core/kernel/sql.ts';
import type { AssetPartition } from '../core/runtime/asset-store.ts';
import { heldKeys, holdingsQuery } from './duckdb-asset-store.ts';
import { readRows, readTable, type QueryTable } from './read-rows.ts';
import { partitionRows } from './table-swap.ts';
import { connectionReader } from './statement-reader.ts';
import { readValue } from './value-store.ts';
import { runAndReadInPlace } from './read-in-place.ts';

export interface RunRecord {
  readonly run_id: string;
  readonly status: string;
  readonly partition_key: string | null;
  readonly selection: string;
  readonly exclude: string | null;
  readonly force: boolean;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
}

export interface RunAssetRecord {
  readonly asset: string;
  readonly partition_key: string | null;
  readonly status: string;
  readonly row_count: number | null;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly reason: string | null;
}

const utc = (column: string) => `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`;

/** A run and the outcome of each of its assets in the order they started; `null` when no such run. */
export async function readRun(connection: DuckDBConnection, runId: string): Promise<{ run: RunRecord; assets: RunAssetRecord[] } | null> {
  const [run] = await readRows<RunRecord>(
    connection,
    `SELECT run_id, status, partition_key, selection, exclude, force, ${utc('started_at')} AS started_at, ${utc('finished_at')} AS finished_at,
       CAST(date_diff('millisecond', started_at, finished_at) AS BIGINT) AS duration_ms
       FROM duckdag.runs WHERE run_id = ${literal(runId).text}`,
  );
  if (run === undefined) return null;
  const assets = await readRows<RunAssetRecord>(
    connection,
    `SELECT asset, partition_key, status, row_count, ${utc('started_at')} AS started_at, ${utc('finished_at')} AS finished_at,
            duration_ms, attempts, error, reason
     FROM duckdag.materializations WHERE run_id = ${literal(runId).text} ORDER BY started_at, asset`,
  );
  return { run, assets };
}

/** The schedules' most recent ticks, newest first. */
export async function recentTicks(connection: DuckDBConnection, limit: number): Promise<QueryTable> {
  return readTable(
    connection,
    `SELECT schedule, ${utc('tick_at')} AS tick_at, partition_key, status, reason, run_id
     FROM duckdag.schedule_ticks ORDER BY tick_at DESC, schedule LIMIT ${literal(limit).text}`,
  );
}

/** An asset's latest status for each partition from `firstDay` on, by partition key. */
export async function partitionStatuses(connection: DuckDBConnection, asset: string, firstDay: string): Promise<Map<string, string>> {
  const rows = await readRows<{ partition_key: string; status: string }>(
    connection,
    `SELECT partition_key, status FROM duckdag.materializations
     WHERE asset = ${literal(asset).text} AND partition_key >= ${literal(firstDay).text}
     QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY finished_at DESC) = 1`,
  );
  return new Map(rows.map((row) => [row.partition_key, row.status]));
}

/** The first `limit` rows of a table asset (of its partition, when partitioned); `null` when it has no table yet. */
export async function tablePreview(
  connection: DuckDBConnection,
  asset: string,
  partition: { column: string; key: string } | null,
  limit: number,
): Promise<QueryTable | null> {
  const [exists] = await readRows<{ found: number }>(
    connection,
    `SELECT count(*) AS found FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${literal(asset).text}`,
  );
  if (Number(exists?.found ?? 0) === 0) return null;
  const rows = partition === null ? identifier(asset) : partitionRows(asset, partition.column, partition.key);
  return readTable(connection, sql`SELECT * FROM ${rows} LIMIT ${limit}`.text);
}

/** A value asset's stored value for a partition (`null` for unpartitioned). */
export function storedValue(connection: DuckDBConnection, asset: string, partitionKey: string | null): Promise<{ found: true; value: unknown } | { found: false }> {
  return readValue(connectionReader(connection), asset, partitionKey);
}

/** Which of `wanted` the warehouse holds materialized, as `holdingKey`s: what a plan needs to know. */
export async function heldPartitions(connection: DuckDBConnection, wanted: readonly AssetPartition[]): Promise<ReadonlySet<string>> {
  if (wanted.length === 0) return new Set();
  return heldKeys(await runAndReadInPlace(connection, holdingsQuery(wanted).text));
}
