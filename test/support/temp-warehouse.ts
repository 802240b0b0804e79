/**
 * An in-process way to run assets: a warehouse file in a temp folder and a `materialize` call with
 * test-friendly defaults.
 */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { AnyAssetDefinition } from '../../core/asset-definition.ts';
import { AssetGraph } from '../../core/asset-graph.ts';
import { materialize, type MaterializeOptions } from '../../core/executor.ts';
import { readRows } from '../../storage/read-rows.ts';
import type { RunResult } from '../../core/run-result.ts';
import { Warehouse } from '../../storage/warehouse.ts';
import { tempDir } from './temp-dir.ts';

export interface TempWarehouse {
  readonly path: string;
  /** Opens the warehouse, runs the assets, closes it. */
  run(assets: readonly AnyAssetDefinition[], options?: Partial<MaterializeOptions>): Promise<RunResult>;
  /** Runs a read query on the closed warehouse file. */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
}

export function tempWarehouse(t: TestContext): TempWarehouse {
  const path = join(tempDir(t), 'warehouse.duckdb');
  const open = (access: 'read_write' | 'read_only') => Warehouse.open({ path, access, lockTimeoutMs: 5000, command: 'test' });
  return {
    path,
    run: async (assets, options = {}) => {
      const warehouse = await open('read_write');
      try {
        return await materialize(AssetGraph.build(assets), warehouse, {
          select: '*',
          partitionKey: '2026-11-24',
          force: false,
          concurrency: 2,
          ...options,
        });
      } finally {
        warehouse.close();
      }
    },
    query: async (sql) => {
      const warehouse = await open('read_only');
      try {
        return await readRows(await warehouse.connect(), sql);
      } finally {
        warehouse.close();
      }
    },
  };
}

/** The status of each asset in a run, by name. */
export function statuses(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.assets.map((asset) => [asset.asset, asset.status]));
}
