/**
 * The asset graph with its run status, as one JSON-ready value: what `graph --format svg` draws and
 * what the HTML page embeds and renders. Statuses are kept apart from the definitions so that a page
 * can be handed new ones (`duckdagGraph.applyStatuses`) without being rebuilt.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { shiftPartitionKey } from '../kernel/daily-partitions.ts';
import { MaterializationStatus } from '../kernel/statuses.ts';
import type { AssetStaleness } from '../kernel/staleness.ts';
import type { AssetHistory, MaterializationRecord } from '../../storage/asset-history.ts';
import type { AssetKinds } from '../../storage/asset-kinds.ts';

/** Every status a node can show, in legend order: the history's, and `never` for no materialization. */
export const NodeStatus = { ...MaterializationStatus, never: 'never' } as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];

/** The label of each status in the legend. */
export const statusLabels: Readonly<Record<NodeStatus, string>> = {
  materialized: 'materialized',
  skipped: 'skipped',
  failed: 'failed',
  check_failed: 'check failed',
  upstream_failed: 'upstream failed',
  cancelled: 'cancelled',
  never: 'never materialized',
};

/** One asset's latest status for the partition shown, with the text its node shows. */
export interface AssetStatus {
  readonly status: NodeStatus;
  /** Rows the warehouse holds for the partition (its latest `materialized` one). */
  readonly rowCount: number | null;
  /** When the latest materialization finished, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly finishedAt: string | null;
  /** The skip reason or the error. */
  readonly detail: string | null;
  /** The node's second line (kind and rows) and third line (status and time). */
  readonly summary: string;
  readonly statusLine: string;
}

export interface GraphAsset {
  readonly name: string;
  readonly kind: string;
  /** How its kind is drawn. */
  readonly shape: 'table' | 'document';
  readonly compute: 'sql' | 'function';
  readonly group: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `daily(column)`, or `null` when unpartitioned. */
  readonly partitions: string | null;
  /** Direct upstream and downstream assets of the whole project, sorted. */
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /** The most recent materializations, newest first. */
  readonly recent: readonly MaterializationRecord[];
  /** The latest status on each of `GraphData.days` (`null`: none), for partitioned assets. */
  readonly days: readonly (string | null)[] | null;
  /** Fresh, stale (with the causes) or missing at the partition shown, as `duckdag status` says. */
  readonly staleness: { readonly state: AssetStaleness['state']; readonly causes: readonly string[] };
}

export interface GraphData {
  /** The partition whose statuses colour the graph. */
  readonly partitionKey: string;
  /** The days of the per-partition strip, oldest first, ending at `partitionKey`. */
  readonly days: readonly string[];
  /** The selected assets, upstream first. */
  readonly assets: readonly GraphAsset[];
  /** Dependencies between selected assets, [upstream, downstream]. */
  readonly edges: readonly (readonly [string, string])[];
  readonly statuses: Readonly<Record<string, AssetStatus>>;
}

/** Days in the per-partition strip. */
export const stripDays = 30;

/** The graph data for the assets `names` (topological order) as of `partitionKey`. */
export function buildGraphData(
  graph: AssetGraph,
  kinds: AssetKinds,
  names: readonly string[],
  history: AssetHistory,
  partitionKey: string,
  staleness: ReadonlyMap<string, AssetStaleness>,
): GraphData {
  const selected = new Set(names);
  const days = Array.from({ length: stripDays }, (_, index) => shiftPartitionKey(partitionKey, index + 1 - stripDays));
  const assets = names.map((name): GraphAsset => {
    const asset = graph.get(name);
    const byDay = history.byDay.get(name);
    return {
      name,
      kind: asset.kind,
      shape: kinds.of(asset).shape,
      compute: asset.compute,
      group: asset.group,
      description: asset.description,
      tags: asset.tags,
      partitions: asset.partitions === null ? null : `${asset.partitions.kind}(${asset.partitions.column})`,
      upstream: graph.parents(name),
      downstream: graph.children(name),
      recent: history.recent.get(name) ?? [],
      days: asset.partitions === null ? null : days.map((day) => byDay?.get(day) ?? null),
      staleness: { state: staleness.get(name)?.state ?? 'missing', causes: staleness.get(name)?.causes.map((cause) => cause.message) ?? [] },
    };
  });
  const statuses = Object.fromEntries(
    assets.map((asset) => [asset.name, assetStatus(asset.kind, history.latest.get(asset.name), history.storedRows.get(asset.name) ?? null)]),
  );
  return {
    partitionKey,
    days,
    assets,
    edges: graph.edges().filter(([from, to]) => selected.has(from) && selected.has(to)),
    statuses,
  };
}

/** An asset's status from its latest materialization (`undefined`: never materialized). */
export function assetStatus(kind: string, latest: MaterializationRecord | undefined, rowCount: number | null): AssetStatus {
  const status = (latest?.status ?? NodeStatus.never) as NodeStatus;
  const finishedAt = latest?.finishedAt ?? null;
  const when = finishedAt === null ? '' : ` ${finishedAt.slice(0, 16).replace('T', ' ')}`;
  return {
    status,
    rowCount,
    finishedAt,
    detail: latest?.error ?? latest?.reason ?? null,
    summary: rowCount === null ? kind : `${kind} · ${rowCount.toLocaleString('en-US')} ${rowCount === 1 ? 'row' : 'rows'}`,
    statusLine: status === NodeStatus.skipped && latest?.reason ? `skipped: ${latest.reason}` : `${statusLabels[status]}${when}`,
  };
}
