/**
 * Whether each asset is fresh, stale or missing at a partition, and why, as Dagster's STALE with
 * causes: its code changed since its last materialization, a dependency was added or removed, an
 * upstream asset was materialized after it, or an upstream asset is itself stale. Decided from the
 * current code versions (static analysis) and the latest materialization of each asset (history).
 */
import type { AssetGraph } from './asset-graph.ts';

/** The latest materialization (or skip) of an asset at one partition, as recorded. */
export interface RecordedMaterialization {
  /** null when recorded without one (by an earlier duckdag, or code analysis could not derive it). */
  readonly codeVersion: string | null;
  /** null when recorded by a duckdag that did not record it. */
  readonly upstream: readonly string[] | null;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export type StaleCause =
  | { readonly kind: 'code_changed'; readonly message: string }
  | { readonly kind: 'dependency_added' | 'dependency_removed' | 'upstream_materialized' | 'upstream_stale'; readonly asset: string; readonly message: string };

export interface AssetStaleness {
  readonly state: 'fresh' | 'stale' | 'missing';
  readonly causes: readonly StaleCause[];
}

/**
 * The staleness of every asset for a run at `partitionKey` (a partitioned asset is judged at that
 * partition, an unpartitioned one as a whole). `latest` answers with an asset's latest
 * materialization at a partition key (`null`: unpartitioned).
 */
export function assessStaleness(
  graph: AssetGraph,
  codeVersions: ReadonlyMap<string, string>,
  latest: (asset: string, partitionKey: string | null) => RecordedMaterialization | undefined,
  partitionKey: string | null,
): Map<string, AssetStaleness> {
  const result = new Map<string, AssetStaleness>();
  const latestOf = (name: string) => latest(name, graph.get(name).partitions === null ? null : partitionKey);
  for (const name of graph.topologicalOrder) {
    const recorded = latestOf(name);
    if (recorded === undefined) {
      result.set(name, { state: 'missing', causes: [] });
      continue;
    }
    const causes: StaleCause[] = [];
    const current = codeVersions.get(name);
    if (current !== undefined && recorded.codeVersion !== null && recorded.codeVersion !== current) {
      causes.push({ kind: 'code_changed', message: 'code changed since its last materialization' });
    }
    const parents = graph.parents(name);
    if (recorded.upstream !== null) {
      for (const added of parents.filter((parent) => !recorded.upstream!.includes(parent))) {
        causes.push({ kind: 'dependency_added', asset: added, message: `dependency ${added} added` });
      }
      for (const removed of recorded.upstream.filter((parent) => !parents.includes(parent))) {
        causes.push({ kind: 'dependency_removed', asset: removed, message: `dependency ${removed} removed` });
      }
    }
    for (const parent of parents) {
      const upstream = latestOf(parent);
      if (upstream !== undefined && upstream.finishedAt > recorded.startedAt) {
        causes.push({ kind: 'upstream_materialized', asset: parent, message: `upstream ${parent} materialized after it` });
      }
      const upstreamState = result.get(parent);
      const why = upstreamState?.state === 'stale' ? upstreamState.causes[0] : undefined;
      if (why !== undefined) {
        // The root cause travels down the chain, not the whole chain of causes.
        const message = why.kind === 'upstream_stale' ? why.message : `upstream ${parent} is stale: ${why.message}`;
        causes.push({ kind: 'upstream_stale', asset: parent, message });
      }
    }
    result.set(name, { state: causes.length === 0 ? 'fresh' : 'stale', causes });
  }
  return result;
}

/** The assets a `stale` selection term stands for: stale or never materialized. */
export function outOfDate(staleness: ReadonlyMap<string, AssetStaleness>): Set<string> {
  return new Set([...staleness].filter(([, assessed]) => assessed.state !== 'fresh').map(([name]) => name));
}
