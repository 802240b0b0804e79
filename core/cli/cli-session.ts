/**
 * What every command shares: the global options, loading the config, opening the warehouse for the
 * length of one command, and the exit code it ends with. Heavy modules (DuckDB, the graph, the
 * executor) are imported when a command needs them, so `--help` starts without them.
 */
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { ConfigImporter } from '../project/load-config.ts';
import type { DuckdbAssetStore } from '../../storage/duckdb-asset-store.ts';
import type { Warehouse } from '../../storage/warehouse.ts';
import type { CliIo } from './cli-io.ts';
import { ExitCode } from './exit-code.ts';

export interface GlobalOptions {
  readonly config: string;
  readonly warehouse?: string;
  readonly json: boolean;
  readonly 'lock-timeout'?: number;
}

export class CliSession {
  readonly io: CliIo;
  readonly #importConfig: ConfigImporter | undefined;
  exitCode: ExitCode = ExitCode.ok;

  constructor(io: CliIo, importConfig?: ConfigImporter) {
    this.io = io;
    this.#importConfig = importConfig;
  }

  async config(options: GlobalOptions, concurrency?: number): Promise<ResolvedConfig> {
    const { loadConfig } = await import('../project/load-config.ts');
    return loadConfig(
      options.config,
      { warehouse: options.warehouse, lockTimeoutMs: options['lock-timeout'], concurrency },
      this.io.env,
      this.#importConfig,
    );
  }

  /** Opens the warehouse, runs `work`, and closes the file whatever happens. */
  async withWarehouse<T>(
    config: ResolvedConfig,
    access: 'read_write' | 'read_only',
    command: string,
    work: (warehouse: Warehouse) => Promise<T>,
  ): Promise<T> {
    const { Warehouse } = await import('../../storage/warehouse.ts');
    const warehouse = await Warehouse.open({
      path: config.warehousePath,
      access,
      lockTimeoutMs: config.lockTimeoutMs,
      command,
      duckdb: config.duckdb,
    });
    try {
      return await work(warehouse);
    } finally {
      warehouse.close();
    }
  }

  /** Opens the warehouse for writing with an asset store on it, runs `work`, and closes the file. */
  async withStore<T>(config: ResolvedConfig, command: string, work: (store: DuckdbAssetStore) => Promise<T>): Promise<T> {
    const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
    return this.withWarehouse(config, 'read_write', command, async (warehouse) => work(await DuckdbAssetStore.open(warehouse, config.kinds)));
  }

  writeJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
