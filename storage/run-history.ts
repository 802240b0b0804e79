/**
 * Reading and writing `duckdag.runs` and `duckdag.materializations`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql, type Sql } from '../core/sql.ts';

/** The status of one asset in one run. */
export const MaterializationStatus = {
  materialized: 'materialized',
  skipped: 'skipped',
  failed: 'failed',
  upstreamFailed: 'upstream_failed',
} as const;
export type MaterializationStatus = (typeof MaterializationStatus)[keyof typeof MaterializationStatus];

/** The status of a run. */
export const RunStatus = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  interrupted: 'interrupted',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export interface RunRecord {
  readonly runId: string;
  readonly startedAt: Date;
  readonly selection: string;
  readonly exclude: string | null;
  readonly partitionKey: string;
  readonly force: boolean;
}

export interface MaterializationRecord {
  readonly runId: string;
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly status: MaterializationStatus;
  readonly rowCount: number | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly attempts: number;
  readonly error: string | null;
  readonly reason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Runs left `running` by a process that died are marked `interrupted`; call while holding the lock. */
export async function markInterruptedRuns(connection: DuckDBConnection): Promise<void> {
  await connection.run(`UPDATE duckdag.runs SET status = 'interrupted' WHERE status = 'running'`);
}

export async function recordRunStart(connection: DuckDBConnection, run: RunRecord): Promise<void> {
  await connection.run(`INSERT INTO duckdag.runs VALUES ($1, $2::TIMESTAMPTZ, NULL, 'running', $3, $4, $5, $6, $7)`, [
    run.runId,
    run.startedAt.toISOString(),
    run.selection,
    run.exclude,
    run.partitionKey,
    run.force,
    process.pid,
  ]);
}

export async function recordRunEnd(connection: DuckDBConnection, runId: string, status: RunStatus): Promise<void> {
  await connection.run(`UPDATE duckdag.runs SET status = $2, finished_at = now() WHERE run_id = $1`, [runId, status]);
}

/** The statement recording a materialization, to send along with other statements. */
export function materializationInsert(record: MaterializationRecord): Sql {
  return sql`INSERT INTO duckdag.materializations VALUES (
    ${record.runId}, ${record.asset}, ${record.partitionKey}, ${record.status}, ${record.rowCount},
    ${record.startedAt}, ${record.finishedAt}, ${record.finishedAt.getTime() - record.startedAt.getTime()},
    ${record.attempts}, ${record.error}, ${record.reason}, CAST(${JSON.stringify(record.metadata)} AS JSON))`;
}

export async function recordMaterialization(connection: DuckDBConnection, record: MaterializationRecord): Promise<void> {
  await connection.run(materializationInsert(record).text);
}

/** Whether the asset has ever been materialized for the partition (`null`: unpartitioned). */
export async function hasMaterialization(
  connection: DuckDBConnection,
  asset: string,
  partitionKey: string | null,
): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdag.materializations
     WHERE asset = $1 AND partition_key IS NOT DISTINCT FROM $2 AND status = 'materialized'`,
    [asset, partitionKey],
  );
  return Number(reader.getRows()[0]?.[0]) > 0;
}
