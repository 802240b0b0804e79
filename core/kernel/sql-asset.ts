/**
 * A table asset written in SQL: a query over typed references to its upstream tables.
 */
import type {
  AssetDeps,
  AssetExecutionContext,
  AssetInputs,
  AssetSpec,
  TableAssetDefinition,
  UpstreamEmptyPolicy,
} from './asset-definition.ts';
import { resolveAssetSpec } from './resolve-asset-spec.ts';
import type { ResourcesOf, ResourceTypes } from './resources.ts';
import type { Sql } from './sql.ts';

export interface SqlAssetSpec<D extends AssetDeps, P extends UpstreamEmptyPolicy, R extends ResourceTypes> extends AssetSpec<D, R> {
  readonly onUpstreamEmpty?: P;
  /** The SELECT whose rows are the asset; for a partitioned asset, the rows of the run's partition. */
  readonly query: (inputs: AssetInputs<D, P>, context: AssetExecutionContext<ResourcesOf<R>>) => Sql;
}

/**
 * Defines a table asset computed by one SQL query.
 * @example
 * export const expensive = sqlAsset({
 *   name: 'expensive_items',
 *   deps: { items },
 *   query: ({ items }) => sql`SELECT * FROM ${items} WHERE price > 100`,
 * });
 */
export function sqlAsset<const D extends AssetDeps = {}, const P extends UpstreamEmptyPolicy = 'skip', const R extends ResourceTypes = {}>(
  spec: SqlAssetSpec<D, P, R>,
): TableAssetDefinition<ResourcesOf<R>> {
  return {
    ...resolveAssetSpec(spec, 'table', 'sql'),
    materialize: async (inputs, context) => {
      await context.output.createAs(spec.query(inputs as AssetInputs<D, P>, context));
    },
  };
}
