/**
 * Runs an asset's checks on rows in the warehouse, one query per check inside the caller's
 * transaction: the failing rows are counted and the first few kept, in one round trip. A check
 * naming a column the rows lack fails the asset at once, naming the column and the columns there are.
 */
import type { AssetCheck, CheckContext } from '../core/kernel/asset-check.ts';
import { allowedFailing } from '../core/kernel/asset-check.ts';
import type { AnyAssetsDefinition, AssetMetadata, TableAssetDefinition, TableRef } from '../core/kernel/asset-definition.ts';
import { AssetFailure, describeError } from '../core/kernel/errors.ts';
import type { ResourceValues } from '../core/kernel/resources.ts';
import { Sql, sql } from '../core/kernel/sql.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';
import { convertRows } from './read-rows.ts';
import type { StatementReader } from './statement-reader.ts';
import { tableRef } from './table-kind.ts';
import type { ColumnSchema } from './table-swap.ts';

/** The rows checked: a staged table, or the rows stored for a partition. */
export interface CheckedRows {
  readonly rows: Sql;
  readonly columns: readonly ColumnSchema[];
  readonly rowCount: number;
}

/** Where the checks run, and with what. */
export interface CheckRunSpec {
  readonly partitionKey: string | null;
  readonly resources: ResourceValues;
  /** The metadata the asset's code reported for the rows checked. */
  readonly metadata: AssetMetadata;
}

const sampleSize = 5;
const sampleTextLimit = 200;

export async function runChecks(asset: AnyAssetsDefinition, target: CheckedRows, spec: CheckRunSpec, reader: StatementReader): Promise<CheckResult[]> {
  const rows = Object.assign(new Sql(target.rows.text), { name: asset.name, partition: target.rows }) satisfies TableRef;
  const context: CheckContext<ResourceValues> = {
    asset: asset.name,
    partitionKey: spec.partitionKey,
    resources: spec.resources,
    metadata: spec.metadata,
    ref: (other: TableAssetDefinition<any>) => {
      if (other.name !== asset.name && !isUpstream(asset, other.name)) {
        throw new Error(`it reads ${other.name}, which is not upstream of ${asset.name}: declare it in ${asset.name}'s deps so that it is settled before the check runs`);
      }
      return tableRef(other, other.partitions === null ? null : spec.partitionKey);
    },
  };
  const results: CheckResult[] = [];
  for (const check of asset.checks) {
    checkColumns(asset.name, check, target.columns);
    const started = Date.now();
    let found: Record<string, unknown>[];
    try {
      const failing = check.failingRows(rows, context);
      found = convertRows(await reader.read(sql`SELECT count(*) OVER () AS __duckdag_failing, * FROM (${failing}) AS failing LIMIT ${sampleSize}`.text));
    } catch (error) {
      throw new AssetFailure(`check ${check.name} on ${asset.name} could not run: ${describeError(error)}`, { code: 'DUCKDAG_CHECK_ERROR', cause: error });
    }
    const failingCount = Number(found[0]?.__duckdag_failing ?? 0);
    const allowed = allowedFailing(check, target.rowCount);
    results.push({
      check: check.name,
      asset: asset.name,
      partitionKey: spec.partitionKey,
      severity: check.severity,
      description: check.description,
      passed: failingCount <= allowed,
      failingCount,
      checkedRows: target.rowCount,
      allowedFailing: allowed,
      sample: found.map(({ __duckdag_failing: _, ...row }) => shorten(row)),
      durationMs: Date.now() - started,
    });
  }
  return results;
}

/** Whether `name` is upstream of `asset`, directly or through other assets. */
function isUpstream(asset: AnyAssetsDefinition, name: string, seen = new Set<string>()): boolean {
  for (const upstream of Object.values(asset.deps)) {
    if (upstream.name === name) return true;
    if (seen.has(upstream.name)) continue;
    seen.add(upstream.name);
    if (isUpstream(upstream, name, seen)) return true;
  }
  return false;
}

function checkColumns(asset: string, check: AssetCheck, columns: readonly ColumnSchema[]): void {
  const names = new Set(columns.map((column) => column.name));
  const unknown = check.columns.filter((column) => !names.has(column));
  if (unknown.length > 0) {
    throw new AssetFailure(
      `check ${check.name} on ${asset} names column ${unknown.join(', ')}, which ${asset} does not have (columns: ${[...names].join(', ')})`,
      { code: 'DUCKDAG_CHECK_COLUMN_UNKNOWN', retryable: false },
    );
  }
}

/** A sample row with long texts cut, so that a row holding a whole document stays small in the history. */
function shorten(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const text = typeof value === 'string' ? value : null;
      return [key, text !== null && text.length > sampleTextLimit ? `${text.slice(0, sampleTextLimit)}…` : value];
    }),
  );
}
