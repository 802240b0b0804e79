/**
 * A run's plan, a value before it is an action: the selected assets in the order they run, what
 * each reads (from an earlier step of the run, or from the warehouse), and what is known up front.
 * An upstream that is neither selected nor in the warehouse is an error before anything runs,
 * except another partition of one (`previousPartition`): missing, its input is `null`.
 * `duckdag materialize --dry-run` prints it; the executor runs it.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { selectAssets } from '../kernel/asset-selection.ts';
import { shiftPartitionKey } from '../kernel/daily-partitions.ts';
import { PlanError } from '../kernel/errors.ts';
import { holdingKey, type AssetPartition, type AssetStore } from './asset-store.ts';

/** What to run. */
export interface PlanRequest {
  readonly select: string;
  readonly exclude?: string;
  /** The run's partition, `YYYY-MM-DD`; unpartitioned assets ignore it. */
  readonly partitionKey: string;
  /** The assets the selection term `stale` stands for (stale or missing), when the selection uses it. */
  readonly stale?: ReadonlySet<string>;
}

/** One upstream a step reads. */
export interface PlannedRead extends AssetPartition {
  /** The input name the asset's code receives it under. */
  readonly input: string;
  /** Days from the run's partition (0: the same partition). */
  readonly partitionOffset: number;
  /**
   * `run`: materialized by an earlier step of this run; `warehouse`: as stored by an earlier run;
   * `missing`: another partition the warehouse does not hold, handed over as `null`.
   */
  readonly source: 'run' | 'warehouse' | 'missing';
}

export interface PlanStep extends AssetPartition {
  readonly kind: string;
  readonly compute: 'sql' | 'function';
  readonly reads: readonly PlannedRead[];
  /** Keys of the resources its code is handed. */
  readonly resourceKeys: readonly string[];
}

export interface RunPlan {
  readonly selection: string;
  readonly exclude: string | null;
  readonly partitionKey: string;
  /** Upstream before downstream, ties by name. */
  readonly steps: readonly PlanStep[];
}

/** The asset partitions that the selected assets read from the warehouse rather than from the run. */
export function warehouseReads(graph: AssetGraph, request: PlanRequest): AssetPartition[] {
  const selected = new Set(selectAssets(graph, request.select, request.exclude, request.stale));
  const wanted = new Map<string, AssetPartition>();
  for (const name of selected) {
    const asset = graph.get(name);
    for (const [input, dep] of Object.entries(asset.deps)) {
      const offset = asset.partitionOffsets[input] ?? 0;
      if (offset === 0 && selected.has(dep.name)) continue;
      const read = { asset: dep.name, partitionKey: partitionOf(graph, dep.name, request.partitionKey, offset) };
      wanted.set(holdingKey(read), read);
    }
  }
  return [...wanted.values()];
}

/**
 * Plans a run from the graph, the request and the warehouse's `holdings` (keys of `holdingKey`)
 * among `warehouseReads`. Throws `PlanError` naming every upstream that cannot be read.
 */
export function planRun(graph: AssetGraph, request: PlanRequest, holdings: ReadonlySet<string>): RunPlan {
  const names = selectAssets(graph, request.select, request.exclude, request.stale);
  const selected = new Set(names);
  const missing: string[] = [];
  const steps = names.map((name): PlanStep => {
    const asset = graph.get(name);
    const reads = Object.entries(asset.deps).map(([input, dep]): PlannedRead => {
      const partitionOffset = asset.partitionOffsets[input] ?? 0;
      const read = { asset: dep.name, partitionKey: partitionOf(graph, dep.name, request.partitionKey, partitionOffset), input, partitionOffset };
      if (partitionOffset === 0 && selected.has(dep.name)) return { ...read, source: 'run' };
      if (!holdings.has(holdingKey(read))) {
        if (partitionOffset !== 0) return { ...read, source: 'missing' };
        missing.push(
          `asset ${name}: upstream ${dep.name} is not selected and has no materialization${read.partitionKey === null ? '' : ` for partition ${read.partitionKey}`} in the warehouse; select it too (--select +${name})`,
        );
      }
      return { ...read, source: 'warehouse' };
    });
    return {
      asset: name,
      kind: asset.kind,
      compute: asset.compute,
      partitionKey: partitionOf(graph, name, request.partitionKey),
      reads,
      resourceKeys: asset.resourceKeys,
    };
  });
  if (missing.length > 0) throw new PlanError('DUCKDAG_UPSTREAM_MISSING', missing.join('\n'));
  return { selection: request.select, exclude: request.exclude ?? null, partitionKey: request.partitionKey, steps };
}

/** Asks the store what the selection needs from the warehouse, then plans. */
export async function buildPlan(graph: AssetGraph, request: PlanRequest, store: Pick<AssetStore, 'holdings'>): Promise<RunPlan> {
  return planRun(graph, request, await store.holdings(warehouseReads(graph, request)));
}

function partitionOf(graph: AssetGraph, name: string, partitionKey: string, offset = 0): string | null {
  return graph.get(name).partitions === null ? null : shiftPartitionKey(partitionKey, offset);
}
