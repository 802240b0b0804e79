/**
 * Checks the fields every asset shares and applies their defaults, once, when the asset is defined.
 */
import { resolveAssetChecks } from './asset-check.ts';
import type { AnyAssetsDefinition, AssetDeps, AssetSpec, AssetsDefinition } from './asset-definition.ts';
import { DefinitionError } from './errors.ts';
import { isPartitionOffsetDep } from './partition-mapping.ts';
import { resolveRetryPolicy } from './retry-policy.ts';

const assetNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** The shared fields of a definition of kind `K`, validated. */
export type ResolvedAssetSpec<K extends string> = Omit<AssetsDefinition, 'kind' | '__input' | '__emptyInput' | '__resources'> & {
  readonly kind: K;
};

/** Validates a spec and returns the framework's view of it. */
export function resolveAssetSpec<K extends string>(
  spec: AssetSpec<AssetDeps, any>,
  kind: K,
  compute: AssetsDefinition['compute'],
): ResolvedAssetSpec<K> {
  if (typeof spec.name !== 'string' || !assetNamePattern.test(spec.name)) {
    throw new DefinitionError(
      'DUCKDAG_ASSET_NAME_INVALID',
      `asset name "${String(spec.name)}" is invalid: use snake_case (a lowercase letter, then lowercase letters, digits or _; at most 63 characters)`,
    );
  }
  const deps: Record<string, AnyAssetsDefinition> = {};
  const partitionOffsets: Record<string, number> = {};
  for (const [input, dep] of Object.entries(spec.deps ?? {})) {
    const upstream = isPartitionOffsetDep(dep) ? dep.asset : dep;
    if (typeof upstream !== 'object' || upstream === null || typeof upstream.name !== 'string') {
      throw new DefinitionError(
        'DUCKDAG_ASSET_DEP_INVALID',
        `asset ${spec.name}: dependency "${input}" is not an asset definition (got ${String(upstream)}); was it defined after this asset?`,
      );
    }
    if (isPartitionOffsetDep(dep)) {
      if (spec.partitions === undefined || upstream.partitions === null) {
        throw new DefinitionError(
          'DUCKDAG_PARTITION_MAPPING_INVALID',
          `asset ${spec.name}: dependency "${input}" reads another partition of ${upstream.name}, so both must be partitioned by day`,
        );
      }
      partitionOffsets[input] = dep.partitionOffset;
    }
    deps[input] = upstream;
  }
  const onUpstreamEmpty = spec.onUpstreamEmpty ?? 'skip';
  if (onUpstreamEmpty !== 'skip' && onUpstreamEmpty !== 'run') {
    throw new DefinitionError(
      'DUCKDAG_ASSET_POLICY_INVALID',
      `asset ${spec.name}: onUpstreamEmpty must be "skip" or "run", got "${String(onUpstreamEmpty)}"`,
    );
  }
  return {
    name: spec.name,
    kind,
    compute,
    deps,
    partitionOffsets,
    resourceKeys: Object.keys(spec.resources ?? {}).sort(),
    description: spec.description ?? '',
    group: spec.group ?? 'default',
    tags: spec.tags ?? {},
    retry: resolveRetryPolicy(spec.name, spec.retry),
    partitions: spec.partitions ?? null,
    onUpstreamEmpty,
    checks: resolveAssetChecks(spec.name, spec.checks),
  };
}
