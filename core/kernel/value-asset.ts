/**
 * A value asset: code whose result is one JSON-serialisable value (a report, an email body, the
 * receipt of a side effect), stored in the warehouse beside the tables.
 */
import type {
  AssetDeps,
  AssetInputs,
  AssetSpec,
  UpstreamEmptyPolicy,
  ValueAssetContext,
  ValueAssetDefinition,
} from './asset-definition.ts';
import { resolveAssetSpec } from './resolve-asset-spec.ts';
import type { ResourcesOf, ResourceTypes } from './resources.ts';

export interface ValueAssetSpec<T, D extends AssetDeps, P extends UpstreamEmptyPolicy, R extends ResourceTypes> extends AssetSpec<D, R> {
  readonly onUpstreamEmpty?: P;
  /** Checks read rows: they apply to table assets. */
  readonly checks?: never;
  /** Returns the value; `null`, `''`, `[]` and `{}` count as empty. */
  readonly compute: (inputs: AssetInputs<D, P>, context: ValueAssetContext<T, ResourcesOf<R>>) => Promise<T | null> | T | null;
}

/**
 * Defines a value asset.
 * @example
 * export const summary = valueAsset({
 *   name: 'summary',
 *   deps: { sales },
 *   compute: async ({ sales }, ctx) => (await ctx.query(sql`SELECT count(*) AS n FROM ${sales}`))[0],
 * });
 */
export function valueAsset<T, const D extends AssetDeps = {}, const P extends UpstreamEmptyPolicy = 'skip', const R extends ResourceTypes = {}>(
  spec: ValueAssetSpec<T, D, P, R>,
): ValueAssetDefinition<T, ResourcesOf<R>> {
  return {
    ...resolveAssetSpec(spec, 'value', 'function'),
    materialize: async (inputs, context) => (await spec.compute(inputs as AssetInputs<D, P>, context)) ?? null,
  };
}

/** Whether a stored value counts as empty for skip propagation. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
