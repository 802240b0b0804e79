/**
 * `duckdag/testing`: run assets from a test against a warehouse file of its own, with the
 * resources the test chooses (a mail transport pointing at a local SMTP server, say), without a
 * config file and without rebuilding any asset.
 */
import type { AnyAssetsDefinition } from './kernel/asset-definition.ts';
import { AssetGraph } from './kernel/asset-graph.ts';
import { materialize, type ExecuteOptions } from './runtime/executor.ts';
import type { PlanRequest } from './runtime/run-plan.ts';
import type { RunResult } from './runtime/run-result.ts';
import type { AssetKind } from '../storage/asset-kind.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { DuckdbAssetStore } from '../storage/duckdb-asset-store.ts';
import { Warehouse } from '../storage/warehouse.ts';

export interface MaterializeAssetsOptions extends Partial<PlanRequest>, Partial<ExecuteOptions> {
  /** The warehouse file, created if missing. */
  readonly warehouse: string;
  /** Kinds beyond `table` and `value`. */
  readonly kinds?: readonly AssetKind[];
}

/**
 * Materializes `assets` (by default all of them, for partition 2026-01-01, two at a time) into the
 * warehouse file, and closes it.
 */
export async function materializeAssets(assets: readonly AnyAssetsDefinition[], options: MaterializeAssetsOptions): Promise<RunResult> {
  const graph = AssetGraph.build(assets);
  const kinds = new AssetKinds(options.kinds);
  kinds.check(graph);
  const warehouse = await Warehouse.open({ path: options.warehouse, access: 'read_write', lockTimeoutMs: 5000, command: 'duckdag/testing' });
  try {
    return await materialize(graph, await DuckdbAssetStore.open(warehouse, kinds), {
      select: '*',
      partitionKey: '2026-01-01',
      force: false,
      concurrency: 2,
      ...options,
    });
  } finally {
    warehouse.close();
  }
}
