/**
 * An in-process way to run assets: a warehouse file in a temp folder and a `materialize` call with
 * test-friendly defaults (partition 2026-11-24, two at a time), through `duckdag/testing`.
 */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { AnyAssetsDefinition } from '../../core/kernel/asset-definition.ts';
import type { RunResult } from '../../core/runtime/run-result.ts';
import { materializeAssets, type MaterializeAssetsOptions } from '../../core/testing.ts';
import { readRows } from '../../storage/read-rows.ts';
import { Warehouse } from '../../storage/warehouse.ts';
import { tempDir } from './temp-dir.ts';

export interface TempWarehouse {
  readonly path: string;
  /** Opens the warehouse, runs the assets, closes it. */
  run(assets: readonly AnyAssetsDefinition[], options?: Partial<MaterializeAssetsOptions>): Promise<RunResult>;
  /** Runs a read query on the closed warehouse file. */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
}

export function tempWarehouse(t: TestContext): TempWarehouse {
  const path = join(tempDir(t), 'warehouse.duckdb');
  return {
    path,
    run: (assets, options = {}) => materializeAssets(assets, { partitionKey: '2026-11-24', ...options, warehouse: path }),
    query: async (sql) => {
      const warehouse = await Warehouse.open({ path, access: 'read_only', lockTimeoutMs: 5000, command: 'test' });
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
