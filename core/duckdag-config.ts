/**
 * The project's configuration, as written in `pipeline.config.ts`, and its resolved form.
 */
import type { AnyAssetDefinition } from './asset-definition.ts';
import type { AssetGraph } from './asset-graph.ts';

/** What `pipeline.config.ts` exports by default. */
export interface DuckdagConfig {
  /**
   * The project's assets, or a function that builds them: settings read from the environment are
   * checked when it runs, before any work, and a bad one stops the command with exit code 2.
   */
  readonly assets: readonly AnyAssetDefinition[] | (() => readonly AnyAssetDefinition[]);
  /** The warehouse file, relative to the config file. @default 'data/warehouse.duckdb' */
  readonly warehouse?: string;
  /** Most assets materializing at once. @default the number of CPU cores */
  readonly concurrency?: number;
  /** How long a command waits for another process to release the warehouse. @default 10000 */
  readonly lockTimeoutMs?: number;
  /** How DuckDB may use the machine while a command runs. */
  readonly duckdb?: DuckdbSettings;
}

/** DuckDB's resources for one command. Unset fields keep DuckDB's own defaults. */
export interface DuckdbSettings {
  /**
   * DuckDB's `memory_limit`, e.g. `'512MB'` or `'4GB'`: the ceiling of its buffer manager, past which
   * queries spill to `<warehouse>.tmp/`. `DUCKDAG_MEMORY_LIMIT` overrides it. @default 80% of RAM
   */
  readonly memoryLimit?: string;
  /** DuckDB's worker threads. `DUCKDAG_THREADS` overrides it. @default the number of CPU cores */
  readonly threads?: number;
  /**
   * Rows per row group in the tables a command writes, a multiple of 2048. DuckDB holds a row group
   * in memory while writing it, so tables of wide rows (whole JSON documents) write in less memory
   * with smaller groups. @default 122880
   */
  readonly rowGroupSize?: number;
}

/** The configuration after defaults, overrides and checks. */
export interface ResolvedConfig {
  readonly configPath: string;
  /** The folder of the config file; relative paths in it start here. */
  readonly rootDir: string;
  readonly graph: AssetGraph;
  readonly warehousePath: string;
  readonly concurrency: number;
  readonly lockTimeoutMs: number;
  readonly duckdb: DuckdbSettings;
}

/** Types a config object; returns it unchanged. */
export function defineConfig(config: DuckdagConfig): DuckdagConfig {
  return config;
}
