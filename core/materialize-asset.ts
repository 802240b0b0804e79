/**
 * One try at materializing one asset, in one transaction on its own connection: build into a
 * staging table (or compute the value), swap it in, and record the materialization. An error at any
 * point rolls everything back, so the previous data and history stay as they were.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { MaterializationStatus, recordMaterialization } from '../storage/run-history.ts';
import { countRows, stagingTableName, swapPartition, swapTable, tableColumns, tableExists } from '../storage/table-swap.ts';
import { readValue, writeValue } from '../storage/value-store.ts';
import type {
  AnyAssetDefinition,
  AssetMetadata,
  TableAssetDefinition,
  ValueAssetContext,
  ValueAssetDefinition,
} from './asset-definition.ts';
import { createAssetContext, createTableAssetContext, type ContextSettings } from './asset-context.ts';
import { DuckdagError, UserCodeError } from './errors.ts';
import { identifier } from './sql.ts';
import { isEmptyValue } from './value-asset.ts';

export interface MaterializeAttempt {
  readonly settings: ContextSettings;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly startedAt: Date;
}

/** What a successful try produced. */
export interface MaterializeOutcome {
  readonly rowCount: number | null;
  readonly empty: boolean;
  readonly metadata: AssetMetadata;
}

export async function materializeAsset(asset: AnyAssetDefinition, attempt: MaterializeAttempt): Promise<MaterializeOutcome> {
  const { connection } = attempt.settings;
  await connection.run('BEGIN TRANSACTION');
  try {
    const outcome = asset.kind === 'table' ? await materializeTable(asset, attempt) : await materializeValue(asset, attempt);
    await recordMaterialization(connection, {
      runId: attempt.settings.runId,
      asset: asset.name,
      partitionKey: attempt.settings.partitionKey,
      status: MaterializationStatus.materialized,
      rowCount: outcome.rowCount,
      startedAt: attempt.startedAt,
      finishedAt: new Date(),
      attempts: attempt.settings.attempt,
      error: null,
      reason: null,
      metadata: outcome.metadata,
    });
    await connection.run('COMMIT');
    return outcome;
  } catch (error) {
    await rollback(connection);
    throw error;
  }
}

async function materializeTable(asset: TableAssetDefinition, attempt: MaterializeAttempt): Promise<MaterializeOutcome> {
  const { connection, runId, partitionKey } = attempt.settings;
  const staging = stagingTableName(asset.name, runId);
  const handle = createTableAssetContext(attempt.settings, staging);
  try {
    await runUserCode(asset.name, () => asset.materialize(attempt.inputs, handle.context));
  } finally {
    handle.close();
  }
  if (!(await tableExists(connection, staging))) {
    throw new DuckdagError(
      'DUCKDAG_ASSET_NO_OUTPUT',
      `asset ${asset.name} finished without creating its table; call context.output.createAs() or context.output.create()`,
      { exitCode: 1 },
    );
  }
  const rowCount = await countRows(connection, identifier(staging));
  const columns = await tableColumns(connection, staging);
  if (asset.partitions !== null && partitionKey !== null) {
    await swapPartition(connection, asset.name, staging, asset.partitions.column, partitionKey);
  } else {
    await swapTable(connection, asset.name, staging);
  }
  return { rowCount, empty: rowCount === 0, metadata: { ...handle.metadata(), columns } };
}

async function materializeValue(asset: ValueAssetDefinition, attempt: MaterializeAttempt): Promise<MaterializeOutcome> {
  const { connection, partitionKey } = attempt.settings;
  const handle = createAssetContext(attempt.settings);
  const context: ValueAssetContext = {
    ...handle.context,
    previousValue: async () => {
      const stored = await readValue(connection, asset.name, partitionKey);
      return stored.found ? stored.value : null;
    },
  };
  const value = await runUserCode(asset.name, () => asset.materialize(attempt.inputs, context));
  let serialized: string;
  try {
    serialized = JSON.stringify(value) ?? 'null';
  } catch (error) {
    throw new DuckdagError('DUCKDAG_VALUE_NOT_JSON', `asset ${asset.name} returned a value that is not JSON-serialisable: ${String(error)}`, {
      cause: error,
      exitCode: 1,
    });
  }
  await writeValue(connection, asset.name, partitionKey, serialized, attempt.settings.runId);
  return {
    rowCount: null,
    empty: isEmptyValue(value),
    metadata: { ...handle.metadata(), value_bytes: Buffer.byteLength(serialized) },
  };
}

/** Runs an asset's code, wrapping what it throws so the error names the asset and keeps the cause. */
async function runUserCode<T>(asset: string, code: () => Promise<T>): Promise<T> {
  try {
    return await code();
  } catch (error) {
    throw error instanceof UserCodeError ? error : new UserCodeError(asset, error);
  }
}

async function rollback(connection: DuckDBConnection): Promise<void> {
  try {
    await connection.run('ROLLBACK');
  } catch {
    // The transaction is already gone (DuckDB aborts it on some errors); nothing is left to undo.
  }
}
