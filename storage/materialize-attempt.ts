/**
 * One try at materializing one asset, in one transaction on its own connection: the asset's kind
 * runs its code and stages the result, then the result, its history row and the commit go in one
 * round trip. An error at any point rolls everything back, so the previous data and history stay.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { joinSql, type Sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import type { AttemptOutcome, AttemptSpec } from '../core/runtime/asset-store.ts';
import { createAssetContext } from './asset-context.ts';
import type { AssetKind } from './asset-kind.ts';
import { AssetTransaction } from './asset-transaction.ts';
import { materializationInsert } from './run-history.ts';
import type { SerialConnection } from './serial-connection.ts';

export async function materializeAttempt(
  kind: AssetKind,
  asset: AnyAssetsDefinition,
  spec: AttemptSpec,
  connection: DuckDBConnection,
  aside: SerialConnection,
): Promise<AttemptOutcome> {
  const transaction = new AssetTransaction(connection, spec.signal);
  const afterwards: Sql[] = [];
  try {
    const { context, metadata } = createAssetContext(asset, spec, transaction);
    const staged = await kind.stage(asset, {
      spec,
      transaction,
      context,
      metadata,
      commitAside: (statements) => aside.runInTransaction(statements.text),
      afterAttempt: (statements) => afterwards.push(statements),
    });
    const record = materializationInsert({
      runId: spec.runId,
      asset: asset.name,
      partitionKey: spec.partitionKey,
      status: MaterializationStatus.materialized,
      rowCount: staged.outcome.rowCount,
      startedAt: spec.startedAt,
      finishedAt: new Date(),
      attempts: spec.attempt,
      error: null,
      reason: null,
      metadata: staged.outcome.metadata,
      codeVersion: spec.codeVersion,
      upstream: Object.values(asset.deps).map((upstream) => upstream.name),
    });
    await transaction.commit(joinSql([staged.statements, record], ';\n').text);
    return staged.outcome;
  } catch (error) {
    await transaction.rollback();
    throw error;
  } finally {
    // Best effort: what is left undone here, the next open of the warehouse does (see partition-backup.ts).
    for (const statements of afterwards) await aside.runInTransaction(statements.text).catch(() => undefined);
  }
}
