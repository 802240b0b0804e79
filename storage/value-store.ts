/**
 * Where value assets keep their values: one JSON value per asset and partition in
 * `duckdag.asset_values`, replaced inside the caller's transaction.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql, type Sql } from '../core/sql.ts';

/** Statements replacing the stored value (JSON text) of an asset's partition (`null`: unpartitioned). */
export function valueReplace(asset: string, partitionKey: string | null, valueJson: string, runId: string): Sql {
  return sql`DELETE FROM duckdag.asset_values WHERE asset = ${asset} AND partition_key IS NOT DISTINCT FROM ${partitionKey};
    INSERT INTO duckdag.asset_values VALUES (${asset}, ${partitionKey}, CAST(${valueJson} AS JSON), ${runId}, now())`;
}

/** The stored value, or `{ found: false }` when the asset has none for that partition. */
export async function readValue(
  connection: DuckDBConnection,
  asset: string,
  partitionKey: string | null,
): Promise<{ found: true; value: unknown } | { found: false }> {
  const reader = await connection.runAndReadAll(
    `SELECT CAST(value AS VARCHAR) FROM duckdag.asset_values WHERE asset = $1 AND partition_key IS NOT DISTINCT FROM $2`,
    [asset, partitionKey],
  );
  const row = reader.getRows()[0];
  return row === undefined ? { found: false } : { found: true, value: JSON.parse(String(row[0])) };
}
