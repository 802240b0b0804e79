/**
 * What a picture of the graph needs from the history: each asset's latest status for one
 * partition, its recent materializations, and its status per day for the days before.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { shiftPartitionKey } from '../core/kernel/daily-partitions.ts';
import { literal } from '../core/kernel/sql.ts';
import { readRows } from './read-rows.ts';

/** One materialization as the history recorded it. */
export interface MaterializationRecord {
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly status: string;
  readonly rowCount: number | null;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly reason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface AssetHistory {
  /** The latest materialization of each asset for the partition (or unpartitioned), by asset. */
  readonly latest: ReadonlyMap<string, MaterializationRecord>;
  /** The row count of the latest `materialized` one for the partition: what the warehouse holds. */
  readonly storedRows: ReadonlyMap<string, number | null>;
  /** Each asset's most recent materializations, any partition, newest first. */
  readonly recent: ReadonlyMap<string, readonly MaterializationRecord[]>;
  /** Each asset's latest status per partition key, for the days asked for. */
  readonly byDay: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The partition most recently materialized by any asset, or `null` when none was. */
export async function latestMaterializedPartition(connection: DuckDBConnection): Promise<string | null> {
  const [row] = await readRows<{ key: string | null }>(
    connection,
    `SELECT max(partition_key) AS key FROM duckdag.materializations WHERE status = 'materialized'`,
  );
  return row?.key ?? null;
}

/** The history of every asset as of `partitionKey`: `recent` per asset, and `days` daily statuses ending at it. */
export async function readAssetHistory(
  connection: DuckDBConnection,
  options: { partitionKey: string; days: number; recent: number },
): Promise<AssetHistory> {
  const partition = literal(options.partitionKey).text;
  const firstDay = literal(shiftPartitionKey(options.partitionKey, 1 - options.days)).text;
  const columns = `asset, partition_key, status, row_count, strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS finished_at,
                   duration_ms, attempts, error, reason, CAST(metadata AS VARCHAR) AS metadata`;
  // One after another: a DuckDB connection runs one query at a time.
  const latest = await readRecords(
    connection,
    `SELECT ${columns} FROM duckdag.materializations WHERE partition_key = ${partition} OR partition_key IS NULL
     QUALIFY row_number() OVER (PARTITION BY asset ORDER BY finished_at DESC) = 1`,
  );
  const stored = await readRows<{ asset: string; row_count: number | null }>(
    connection,
    `SELECT asset, row_count FROM duckdag.materializations
     WHERE status = 'materialized' AND (partition_key = ${partition} OR partition_key IS NULL)
     QUALIFY row_number() OVER (PARTITION BY asset ORDER BY finished_at DESC) = 1`,
  );
  const recent = await readRecords(
    connection,
    `SELECT ${columns} FROM duckdag.materializations
     QUALIFY row_number() OVER (PARTITION BY asset ORDER BY finished_at DESC) <= ${literal(options.recent).text}
     ORDER BY asset, finished_at DESC`,
  );
  const byDay = await readRows<{ asset: string; partition_key: string; status: string }>(
    connection,
    `SELECT asset, partition_key, status FROM duckdag.materializations
     WHERE partition_key BETWEEN ${firstDay} AND ${partition}
     QUALIFY row_number() OVER (PARTITION BY asset, partition_key ORDER BY finished_at DESC) = 1`,
  );
  const recentByAsset = new Map<string, MaterializationRecord[]>();
  for (const record of recent) {
    const records = recentByAsset.get(record.asset) ?? [];
    records.push(record);
    recentByAsset.set(record.asset, records);
  }
  const days = new Map<string, Map<string, string>>();
  for (const row of byDay) {
    const statuses = days.get(row.asset) ?? new Map<string, string>();
    statuses.set(row.partition_key, row.status);
    days.set(row.asset, statuses);
  }
  return {
    latest: new Map(latest.map((record) => [record.asset, record])),
    storedRows: new Map(stored.map((row) => [row.asset, row.row_count])),
    recent: recentByAsset,
    byDay: days,
  };
}

/** The history of a warehouse that does not exist yet: nothing materialized. */
export const emptyAssetHistory: AssetHistory = { latest: new Map(), storedRows: new Map(), recent: new Map(), byDay: new Map() };

async function readRecords(connection: DuckDBConnection, query: string): Promise<MaterializationRecord[]> {
  const rows = await readRows<{
    asset: string;
    partition_key: string | null;
    status: string;
    row_count: number | null;
    finished_at: string;
    duration_ms: number;
    attempts: number;
    error: string | null;
    reason: string | null;
    metadata: string | null;
  }>(connection, query);
  return rows.map((row) => ({
    asset: row.asset,
    partitionKey: row.partition_key,
    status: row.status,
    rowCount: row.row_count,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    attempts: row.attempts,
    error: row.error,
    reason: row.reason,
    metadata: row.metadata === null ? {} : (JSON.parse(row.metadata) as Record<string, unknown>),
  }));
}
