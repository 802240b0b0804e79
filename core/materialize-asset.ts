/**
 * One try at materializing one asset, in one transaction on its own connection: build into a
 * staging table (or compute the value), swap it in, and record the materialization. An error at any
 * point rolls everything back, so the previous data and history stay as they were.
 */
import { MaterializationStatus, materializationInsert } from '../storage/run-history.ts';
import { stagingTableName, swapPartition, swapTable } from '../storage/table-swap.ts';
import { readValue, valueReplace } from '../storage/value-store.ts';
import type {
  AnyAssetDefinition,
  AssetMetadata,
  TableAssetDefinition,
  ValueAssetContext,
  ValueAssetDefinition,
} from './asset-definition.ts';
import { createAssetContext, createTableAssetContext, type ContextSettings } from './asset-context.ts';
import { DuckdagError, UserCodeError } from './errors.ts';
import { joinSql, type Sql } from './sql.ts';
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
  /** A value asset's value as stored (a copy: what downstream assets receive); undefined for tables. */
  readonly value: unknown;
}

export async function materializeAsset(asset: AnyAssetDefinition, attempt: MaterializeAttempt): Promise<MaterializeOutcome> {
  const { transaction } = attempt.settings;
  try {
    const staged = asset.kind === 'table' ? await materializeTable(asset, attempt) : await materializeValue(asset, attempt);
    const record = materializationInsert({
      runId: attempt.settings.runId,
      asset: asset.name,
      partitionKey: attempt.settings.partitionKey,
      status: MaterializationStatus.materialized,
      rowCount: staged.outcome.rowCount,
      startedAt: attempt.startedAt,
      finishedAt: new Date(),
      attempts: attempt.settings.attempt,
      error: null,
      reason: null,
      metadata: staged.outcome.metadata,
    });
    await transaction.commit(joinSql([staged.statements, record], ';\n').text);
    return staged.outcome;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}

/** A try's outcome, and the statements that store it, sent with the commit in one round trip. */
interface Staged {
  readonly outcome: MaterializeOutcome;
  readonly statements: Sql;
}

async function materializeTable(asset: TableAssetDefinition, attempt: MaterializeAttempt): Promise<Staged> {
  const { transaction, runId, partitionKey } = attempt.settings;
  const staging = stagingTableName(asset.name, runId);
  const handle = createTableAssetContext(attempt.settings, staging);
  try {
    await runUserCode(asset.name, () => asset.materialize(attempt.inputs, handle.context));
  } finally {
    handle.close();
  }
  const staged = await handle.staged();
  if (staged === null) {
    throw new DuckdagError(
      'DUCKDAG_ASSET_NO_OUTPUT',
      `asset ${asset.name} finished without creating its table; call context.output.createAs() or context.output.create()`,
      { exitCode: 1 },
    );
  }
  const statements =
    asset.partitions !== null && partitionKey !== null
      ? await swapPartition(transaction, asset.name, staging, staged, asset.partitions.column, partitionKey)
      : swapTable(asset.name, staging);
  const outcome = { rowCount: staged.rowCount, empty: staged.rowCount === 0, metadata: { ...handle.metadata(), columns: staged.columns }, value: undefined };
  return { outcome, statements };
}

async function materializeValue(asset: ValueAssetDefinition, attempt: MaterializeAttempt): Promise<Staged> {
  const { transaction, partitionKey } = attempt.settings;
  const handle = createAssetContext(attempt.settings);
  const context: ValueAssetContext = {
    ...handle.context,
    previousValue: async () => {
      const stored = await readValue(transaction, asset.name, partitionKey);
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
  const outcome = {
    rowCount: null,
    empty: isEmptyValue(value),
    metadata: { ...handle.metadata(), value_bytes: Buffer.byteLength(serialized) },
    value: JSON.parse(serialized) as unknown,
  };
  return { outcome, statements: valueReplace(asset.name, partitionKey, serialized, attempt.settings.runId) };
}

/** Runs an asset's code, wrapping what it throws so the error names the asset and keeps the cause. */
async function runUserCode<T>(asset: string, code: () => Promise<T>): Promise<T> {
  try {
    return await code();
  } catch (error) {
    throw error instanceof UserCodeError ? error : new UserCodeError(asset, error);
  }
}
