/**
 * The `table` kind: the asset's code fills a staging table, which replaces the asset's table (or
 * its partition's rows) in the asset's transaction. Downstream assets get a `TableRef`; a table is
 * empty when it (or its partition) has no rows. An unpartitioned SQL asset, whose code is its one
 * query, needs no staging table: `CREATE OR REPLACE` in the transaction replaces the table, which
 * readers (and a crash) see as before until the commit, and saves a rename and a drop per asset;
 * and, its one query being its whole attempt, it may share a transaction with others.
 */
import type { TableAssetContext, TableAssetDefinition, TableRef } from '../core/kernel/asset-definition.ts';
import { WarehouseError } from '../core/kernel/errors.ts';
import { identifier, sql, Sql } from '../core/kernel/sql.ts';
import { defineAssetKind } from './asset-kind.ts';
import { partitionBackup, releaseBackup, takeBackup } from './partition-backup.ts';
import { runUserCode } from './run-user-code.ts';
import { createTableOutput } from './table-output.ts';
import { countRows, partitionRows, stagingTableName, swapPartition, swapTable } from './table-swap.ts';
import { undeclaredReadsCheck } from './undeclared-reads.ts';

export const tableKind = defineAssetKind<TableAssetDefinition<any>>({
  name: 'table',
  shape: 'table',
  // Its code is its one query, sent once with the table's description.
  sharesTransaction: (asset) => replacesInPlace(asset),
  async stage(asset, { spec, transaction, context, metadata, commitAside, afterAttempt }) {
    const inPlace = replacesInPlace(asset);
    const staging = inPlace ? asset.name : stagingTableName(asset.name, spec.runId);
    const reads = undeclaredReadsCheck(asset, spec.projectAssets, transaction);
    const handle = createTableOutput(transaction, { table: staging, replace: inPlace }, context.addMetadata, reads);
    const tableContext: TableAssetContext<any> = {
      ...context,
      execute: (statement) => {
        handle.touched();
        return context.execute(statement);
      },
      query: (statement) => {
        handle.touched();
        return context.query(statement);
      },
      output: handle.output,
    };
    try {
      await runUserCode(asset.name, () => asset.materialize(spec.inputs, tableContext));
    } finally {
      handle.close();
    }
    const staged = await handle.staged();
    if (staged === null) {
      throw new WarehouseError(
        'DUCKDAG_ASSET_NO_OUTPUT',
        `asset ${asset.name} finished without creating its table; call context.output.createAs() or context.output.create()`,
      );
    }
    let statements = inPlace ? sql`` : swapTable(asset.name, staging);
    if (asset.partitions !== null && spec.partitionKey !== null) {
      const swap = await swapPartition(transaction, asset.name, staging, staged, asset.partitions.column, spec.partitionKey);
      if (swap.inPlace) {
        const backup = partitionBackup(asset.name, asset.partitions.column, spec.partitionKey, spec.runId, spec.attempt);
        await commitAside(takeBackup(backup));
        afterAttempt(releaseBackup(backup));
      }
      statements = swap.statements;
    }
    const empty = staged.rowCount === 0;
    return {
      outcome: { rowCount: staged.rowCount, empty, input: tableRef(asset, spec.partitionKey), metadata: { ...metadata(), columns: staged.columns } },
      statements,
      checkable: { rows: identifier(staging), columns: staged.columns, rowCount: staged.rowCount },
    };
  },
  async load(asset, partitionKey, reader) {
    const input = tableRef(asset, partitionKey);
    return { input, empty: (await countRows(reader, input.partition)) === 0 };
  },
});

/** The reference downstream assets get: the table, and its partition's rows. */
export function tableRef(asset: Pick<TableAssetDefinition<any>, 'name' | 'partitions'>, partitionKey: string | null): TableRef {
  const table = identifier(asset.name);
  const partition = asset.partitions === null || partitionKey === null ? table : partitionRows(asset.name, asset.partitions.column, partitionKey);
  return Object.assign(new Sql(table.text), { name: asset.name, partition });
}

/** Whether the asset's table is replaced in place: an unpartitioned SQL asset, whose code is its one query. */
function replacesInPlace(asset: TableAssetDefinition<any>): boolean {
  return asset.compute === 'sql' && asset.partitions === null;
}
