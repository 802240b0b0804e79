/**
 * Crash safety for partition swaps. DuckDB (1.5 at least) can bring back after a crash the rows that
 * an uncommitted transaction appended in bulk to an existing table (its optimistically written row
 * groups) without that transaction's deletes: a partition replaced by a killed run would then hold
 * its old rows and the new ones together. So before a partition's rows are replaced in an existing
 * table, they are copied to a backup table in a transaction of their own, with a note in
 * `duckdag.pending_swaps`; the note and the backup go once the swap has committed or rolled back.
 * A warehouse opened with notes left by a dead process is repaired before anything reads it: a swap
 * whose materialization is in the history (committed with it) is kept, any other partition is
 * restored from its backup.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { identifier, joinSql, sql, type Sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import { SerialConnection } from './serial-connection.ts';
import { partitionFilter } from './table-swap.ts';
import { runAndReadInPlace } from './read-in-place.ts';

/** The backup of one partition of an asset's table, taken by one attempt of one run. */
export interface PartitionBackup {
  readonly runId: string;
  readonly asset: string;
  readonly column: string;
  readonly partitionKey: string;
  /** Its table in the `duckdag` schema. */
  readonly table: string;
}

export function partitionBackup(asset: string, column: string, partitionKey: string, runId: string, attempt: number): PartitionBackup {
  const table = `backup_${asset}_${runId.replaceAll(/[^A-Za-z0-9]/g, '').toLowerCase()}_${attempt}`;
  return { runId, asset, column, partitionKey, table };
}

/** Copies the partition's current rows and notes the swap in flight; to commit before the swap. */
export function takeBackup(backup: PartitionBackup): Sql {
  return joinSql(
    [
      sql`CREATE TABLE ${identifier('duckdag', backup.table)} AS SELECT * FROM ${identifier(backup.asset)} WHERE ${partitionFilter(backup.column, backup.partitionKey)}`,
      sql`INSERT INTO duckdag.pending_swaps (run_id, asset, partition_column, partition_key, backup_table, started_at)
          VALUES (${backup.runId}, ${backup.asset}, ${backup.column}, ${backup.partitionKey}, ${backup.table}, now())`,
    ],
    ';\n',
  );
}

/** Drops the backup and its note. */
export function releaseBackup(backup: Pick<PartitionBackup, 'table'>): Sql {
  return joinSql([sql`DROP TABLE IF EXISTS ${identifier('duckdag', backup.table)}`, sql`DELETE FROM duckdag.pending_swaps WHERE backup_table = ${backup.table}`], ';\n');
}

/** Whether a dead process left swaps in flight. */
export async function hasPendingSwaps(connection: DuckDBConnection): Promise<boolean> {
  const reader = await runAndReadInPlace(connection, 'SELECT count(*) FROM duckdag.pending_swaps');
  return Number(reader.getRows()[0]?.[0]) > 0;
}

/** Keeps the swaps that committed and restores the partitions of those that did not; returns how many were restored. */
export async function repairPendingSwaps(connection: DuckDBConnection): Promise<number> {
  const reader = await runAndReadInPlace(connection, 
    sql`SELECT p.run_id, p.asset, p.partition_column, p.partition_key, p.backup_table,
          EXISTS (SELECT 1 FROM duckdag.materializations m
                  WHERE m.run_id = p.run_id AND m.asset = p.asset AND m.partition_key = p.partition_key
                    AND m.status = ${MaterializationStatus.materialized}) AS committed
        FROM duckdag.pending_swaps p ORDER BY p.started_at`.text,
  );
  let restored = 0;
  for (const [runId, asset, column, partitionKey, table, committed] of reader.getRows()) {
    const backup: PartitionBackup = { runId: String(runId), asset: String(asset), column: String(column), partitionKey: String(partitionKey), table: String(table) };
    const restore = committed === true ? [] : [restoreStatement(backup)];
    await new SerialConnection(connection).runInTransaction(joinSql([...restore, releaseBackup(backup)], ';\n').text);
    restored += restore.length;
  }
  return restored;
}

function restoreStatement(backup: PartitionBackup): Sql {
  const target = identifier(backup.asset);
  return sql`DELETE FROM ${target} WHERE ${partitionFilter(backup.column, backup.partitionKey)};
    INSERT INTO ${target} SELECT * FROM ${identifier('duckdag', backup.table)}`;
}
