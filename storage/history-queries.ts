/**
 * The questions the CLI asks of the history: the latest materialization per asset and partition
 * and its check results, the recent runs with their outcome counts, each schedule's latest tick,
 * and what staleness is judged against.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CheckSeverity } from '../core/kernel/asset-check.ts';
import { literal } from '../core/kernel/sql.ts';
import type { RecordedMaterialization } from '../core/kernel/staleness.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';
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

/**
 * The latest result of each check of each asset and partition (from a materialization, a hold-back
 * or `--checks-only`), optionally for one partition only; by asset, partition and check name.
 */
export async function latestCheckResults(connection: DuckDBConnection, filter: { partitionKey?: string } = {}): Promise<CheckResult[]> {
  const where = filter.partitionKey === undefined ? '' : `WHERE partition_key = ${literal(filter.partitionKey).text}`;
  const rows = await readRows<StoredCheck>(
    connection,
    `SELECT check_name, asset, partition_key, severity, description, passed, failing_count, checked_rows,
            allowed_failing, CAST(failing_sample AS VARCHAR) AS failing_sample, duration_ms
     FROM duckdag.check_results ${where}
     QUALIFY row_number() OVER (PARTITION BY asset, partition_key, check_name ORDER BY checked_at DESC) = 1
     ORDER BY asset, partition_key, check_name`,
  );
  return rows.map((row) => ({
    check: row.check_name,
    asset: row.asset,
    partitionKey: row.partition_key,
    severity: row.severity,
    description: row.description ?? '',
    passed: row.passed,
    failingCount: row.failing_count,
    checkedRows: row.checked_rows,
    allowedFailing: row.allowed_failing,
    sample: JSON.parse(row.failing_sample ?? '[]') as CheckResult['sample'],
    durationMs: row.duration_ms,
  }));
}

interface StoredCheck {
  readonly check_name: string;
  readonly asset: string;
  readonly partition_key: string | null;
  readonly severity: CheckSeverity;
  readonly description: string | null;
  readonly passed: boolean;
  readonly failing_count: number;
  readonly checked_rows: number;
  readonly allowed_failing: number;
  readonly failing_sample: string | null;
  readonly duration_ms: number;
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
            count(*) FILTER (WHERE m.status = 'check_failed') AS check_failed,
            count(*) FILTER (WHERE m.status = 'upstream_failed') AS upstream_failed,
            count(*) FILTER (WHERE m.status = 'cancelled') AS cancelled
     FROM duckdag.runs r LEFT JOIN duckdag.materializations m USING (run_id) LEFT JOIN duckdag.schedule_ticks t USING (run_id)
     GROUP BY r.run_id, r.status, r.partition_key, r.selection, t.schedule, r.started_at, r.finished_at
     ORDER BY r.started_at DESC
     LIMIT ${literal(limit).text}`,
  );
}

/**
 * The latest materialization or skip of every asset and partition, with the code version and
 * upstream assets it was made with: what staleness is judged against.
 */
export async function recordedMaterializations(connection: DuckDBConnection): Promise<(asset: string, partitionKey: string | null) => RecordedMaterialization | undefined> {
  const rows = await readRows<{ asset: string; partition_key: string | null; code_version: string | null; upstream: string[] | null; started_ms: number; finished_ms: number }>(
    connection,
    `SELECT asset, partition_key, code_version, upstream, epoch_ms(started_at) AS started_ms, epoch_ms(finished_at) AS finished_ms
     FROM duckdag.materializations WHERE status IN ('materialized', 'skipped')
     QUALIFY row_number() OVER (PARTITION BY asset, partition_key ORDER BY finished_at DESC) = 1`,
  );
  const byKey = new Map(
    rows.map((row) => [
      `${row.asset}@${row.partition_key ?? ''}`,
      { codeVersion: row.code_version, upstream: row.upstream, startedAt: Number(row.started_ms), finishedAt: Number(row.finished_ms) },
    ]),
  );
  return (asset, partitionKey) => byKey.get(`${asset}@${partitionKey ?? ''}`);
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
