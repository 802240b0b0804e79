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
}

/** Types a config object; returns it unchanged. */
export function defineConfig(config: DuckdagConfig): DuckdagConfig {
  return config;
}
