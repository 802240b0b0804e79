/**
 * A table asset written in TypeScript: code that fills the staging table through DuckDB (a query,
 * its file readers, or the row appender), for data that does not start in the warehouse.
 */
import type {
  AssetDeps,
  AssetInputs,
  AssetSpec,
  TableAssetContext,
  TableAssetDefinition,
  UpstreamEmptyPolicy,
} from './asset-definition.ts';
import { resolveAssetSpec } from './resolve-asset-spec.ts';
import type { ResourcesOf, ResourceTypes } from './resources.ts';

export interface TableAssetSpec<D extends AssetDeps, P extends UpstreamEmptyPolicy, R extends ResourceTypes> extends AssetSpec<D, R> {
  readonly onUpstreamEmpty?: P;
  /** Fills `context.output`; the asset's data is replaced by it only if this resolves. */
  readonly materialize: (inputs: AssetInputs<D, P>, context: TableAssetContext<ResourcesOf<R>>) => Promise<void>;
}

/**
 * Defines a table asset computed by code.
 * @example
 * export const events = tableAsset({
 *   name: 'events',
 *   materialize: async (_, ctx) => ctx.output.createAs(sql`SELECT * FROM read_json(${path})`),
 * });
 */
export function tableAsset<const D extends AssetDeps = {}, const P extends UpstreamEmptyPolicy = 'skip', const R extends ResourceTypes = {}>(
  spec: TableAssetSpec<D, P, R>,
): TableAssetDefinition<ResourcesOf<R>> {
  return {
    ...resolveAssetSpec(spec, 'table', 'function'),
    materialize: (inputs, context) => spec.materialize(inputs as AssetInputs<D, P>, context),
  };
}
