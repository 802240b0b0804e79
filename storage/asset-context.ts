/**
 * The context handed to an asset's code: its run, partition and flags, its resources, a log, and
 * statements and queries on the asset's own connection, so everything it does joins the asset's
 * transaction.
 */
import type { AnyAssetsDefinition, AssetExecutionContext, AssetMetadata } from '../core/kernel/asset-definition.ts';
import type { Sql } from '../core/kernel/sql.ts';
import type { AttemptSpec } from '../core/runtime/asset-store.ts';
import type { AssetTransaction } from './asset-transaction.ts';
import { convertRows } from './read-rows.ts';
import { undeclaredReadsCheck } from './undeclared-reads.ts';

/** A context plus the metadata its code added. */
export interface ContextHandle {
  readonly context: AssetExecutionContext<any>;
  metadata(): AssetMetadata;
}

export function createAssetContext(asset: AnyAssetsDefinition, spec: AttemptSpec, transaction: AssetTransaction): ContextHandle {
  const metadata: Record<string, unknown> = {};
  const checkReads = undeclaredReadsCheck(asset, spec.projectAssets, transaction);
  const context: AssetExecutionContext<any> = {
    asset: asset.name,
    runId: spec.runId,
    partitionKey: spec.partitionKey,
    force: spec.force,
    attempt: spec.attempt,
    signal: spec.signal,
    resources: spec.resources,
    log: spec.log,
    addMetadata: (entries) => Object.assign(metadata, entries),
    execute: async (statement: Sql) => {
      await checkReads(statement.text);
      await transaction.run(statement.text);
    },
    query: async <Row>(statement: Sql) => {
      await checkReads(statement.text);
      return convertRows<Row>(await transaction.read(statement.text));
    },
  };
  return { context, metadata: () => metadata };
}
