/**
 * Checks on what the warehouse holds (`materialize --checks-only`): an asset's checks run on its
 * stored rows for a partition, with the metadata of the materialization that wrote them, and the
 * results are recorded; nothing is materialized and no data changes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AnyAssetsDefinition, AssetMetadata } from '../core/kernel/asset-definition.ts';
import { DefinitionError, PlanError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import type { StoredCheckSpec } from '../core/runtime/asset-store.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';
import type { AssetKind } from './asset-kind.ts';
import { AssetTransaction } from './asset-transaction.ts';
import { checkResultsInsert } from './check-results-history.ts';
import { runChecks } from './check-runner.ts';
import { tableRef } from './table-kind.ts';
import { countRows, describeTable } from './table-swap.ts';

export async function checkStoredRows(kind: AssetKind, asset: AnyAssetsDefinition, spec: StoredCheckSpec, connection: DuckDBConnection): Promise<CheckResult[]> {
  if (kind.shape !== 'table') {
    throw new DefinitionError('DUCKDAG_CHECK_UNSUPPORTED', `asset ${asset.name} declares checks, but its kind "${kind.name}" holds no rows to check`);
  }
  const transaction = new AssetTransaction(connection, spec.signal);
  try {
    const table = await describeTable(transaction, asset.name);
    if (table === null) throw new PlanError('DUCKDAG_NOTHING_TO_CHECK', `asset ${asset.name} has no table in the warehouse to check; materialize it first`);
    const rows = tableRef(asset, spec.partitionKey).partition;
    const metadata = await storedMetadata(transaction, asset.name, spec.partitionKey);
    const checkable = { rows, columns: table.columns, rowCount: await countRows(transaction, rows) };
    const results = await runChecks(asset, checkable, { partitionKey: spec.partitionKey, resources: spec.resources, metadata }, transaction);
    await transaction.commit(checkResultsInsert(spec.runId, results, new Date()).text);
    return results;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}

/** The metadata of the latest materialization of the asset's partition. */
async function storedMetadata(transaction: AssetTransaction, asset: string, partitionKey: string | null): Promise<AssetMetadata> {
  const result = await transaction.read(
    sql`SELECT CAST(metadata AS VARCHAR) FROM duckdag.materializations
        WHERE asset = ${asset} AND partition_key IS NOT DISTINCT FROM ${partitionKey} AND status = ${MaterializationStatus.materialized}
        ORDER BY finished_at DESC LIMIT 1`.text,
  );
  const text = result.getRows()[0]?.[0];
  return text === undefined || text === null ? {} : (JSON.parse(String(text)) as AssetMetadata);
}
