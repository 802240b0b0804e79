/**
 * Where value assets keep their values: one JSON value per asset and partition in
 * `duckdag.asset_values`, replaced inside the caller's transaction.
 */
import type { StatementReader } from './statement-reader.ts';
import { sql, type Sql } from '../core/kernel/sql.ts';

/** Statements replacing the stored value (JSON text) of an asset's partition (`null`: unpartitioned). */
export function valueReplace(asset: string, partitionKey: string | null, valueJson: string, runId: string): Sql {
  return sql`DELETE FROM duckdag.asset_values WHERE asset = ${asset} AND partition_key IS NOT DISTINCT FROM ${partitionKey};
    INSERT INTO duckdag.asset_values (asset, partition_key, value, run_id, materialized_at)
    VALUES (${asset}, ${partitionKey}, CAST(${valueJson} AS JSON), ${runId}, now())`;
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
