/**
 * Whether a partition is already done for a set of assets: each one's latest outcome for it (for an
 * unpartitioned asset, its latest at all) is `materialized`, or `skipped` because its upstream was
 * empty. A scheduled tick for a done partition is skipped; `materialize --missing` leaves it out.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { MaterializationStatus } from '../kernel/statuses.ts';
import { holdingKey, type AssetPartition, type AssetStore } from './asset-store.ts';

const doneStatuses: ReadonlySet<MaterializationStatus> = new Set([MaterializationStatus.materialized, MaterializationStatus.skipped]);

/** Which of `partitionKeys` are done for `assets`. */
export async function completedPartitions(
  graph: AssetGraph,
  assets: readonly string[],
  partitionKeys: readonly string[],
  store: Pick<AssetStore, 'latestOutcomes'>,
): Promise<ReadonlySet<string>> {
  const wantedOf = (partitionKey: string): AssetPartition[] =>
    assets.map((asset) => ({ asset, partitionKey: graph.get(asset).partitions === null ? null : partitionKey }));
  const wanted = new Map<string, AssetPartition>();
  for (const key of partitionKeys) for (const one of wantedOf(key)) wanted.set(holdingKey(one), one);
  const outcomes = await store.latestOutcomes([...wanted.values()]);
  const done = (one: AssetPartition) => {
    const status = outcomes.get(holdingKey(one));
    return status !== undefined && doneStatuses.has(status);
  };
  return new Set(partitionKeys.filter((key) => wantedOf(key).every(done)));
}
