/**
 * The run-time check that an asset's SQL reads only the assets it declares, on the statements its
 * code actually sends. Cheap: a statement is parsed (by DuckDB, `json_serialize_sql`) only when a
 * word of it is the name of another asset the asset does not declare; most statements never are.
 * DuckDB serializes only SELECT statements, so other statements (an INSERT … SELECT) are not
 * checked here; `duckdag lint` reports them as unchecked.
 */
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { AssetFailure } from '../core/kernel/errors.ts';
import type { AssetTransaction } from './asset-transaction.ts';
import { tableReads } from './sql-table-reads.ts';

/** Rejects, failing the asset without retries, when `statement` reads an asset it does not declare. */
export type ReadsCheck = (statement: string) => Promise<void>;

export function undeclaredReadsCheck(asset: AnyAssetsDefinition, projectAssets: ReadonlySet<string>, transaction: AssetTransaction): ReadsCheck {
  const declared = new Set([asset.name, ...Object.values(asset.deps).map((upstream) => upstream.name)]);
  return async (statement) => {
    const suspects = new Set((statement.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((word) => word.toLowerCase()).filter((word) => projectAssets.has(word) && !declared.has(word)));
    if (suspects.size === 0) return;
    const parsed = await tableReads(await transaction.parsingConnection(), statement);
    if (!parsed.ok) return;
    const read = parsed.tables.find(
      (table) => (table.catalog === '' || table.catalog === 'warehouse') && (table.schema === '' || table.schema === 'main') && suspects.has(table.table.toLowerCase()),
    );
    if (read !== undefined) {
      throw new AssetFailure(`${asset.name} reads ${read.table.toLowerCase()} but does not declare it`, { code: 'DUCKDAG_UNDECLARED_DEP', retryable: false });
    }
  };
}
