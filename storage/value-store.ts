/**
 * Where value assets keep their values: one JSON value per asset and partition in
 * `duckdag.asset_values`, replaced inside the caller's transaction.
 */
import type { StatementReader } from './statement-reader.ts';
import { joinSql, sql, type Sql } from '../core/kernel/sql.ts';

/** One asset partition's value (`partitionKey` null: unpartitioned), as JSON text, and the run that made it. */
export interface StoredValue {
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly valueJson: string;
  readonly runId: string;
}

/**
 * Statements replacing the stored values of their asset partitions (at least one value): one delete
 * and one insert however many; of two values for one asset partition, the later one is stored.
 */
export function valuesReplace(stored: readonly StoredValue[]): Sql {
  const values = [...new Map(stored.map((value) => [JSON.stringify([value.asset, value.partitionKey]), value])).values()];
  const keys = joinSql(values.map((value) => sql`(${value.asset}, ${value.partitionKey})`));
  const rows = joinSql(values.map((value) => sql`(${value.asset}, ${value.partitionKey}, CAST(${value.valueJson} AS JSON), ${value.runId}, now())`));
  return sql`DELETE FROM duckdag.asset_values AS stored USING (VALUES ${keys}) AS replaced(asset, partition_key)
      WHERE stored.asset = replaced.asset AND stored.partition_key IS NOT DISTINCT FROM replaced.partition_key;
    INSERT INTO duckdag.asset_values (asset, partition_key, value, run_id, materialized_at) VALUES ${rows}`;
}

/** The stored value, or `{ found: false }` when the asset has none for that partition. */
export async function readValue(
  reader: StatementReader,
  asset: string,
  partitionKey: string | null,
): Promise<{ found: true; value: unknown } | { found: false }> {
  const result = await reader.read(
    sql`SELECT CAST(value AS VARCHAR) FROM duckdag.asset_values WHERE asset = ${asset} AND partition_key IS NOT DISTINCT FROM ${partitionKey}`.text,
  );
  const row = result.getRows()[0];
  return row === undefined ? { found: false } : { found: true, value: JSON.parse(String(row[0])) };
}
