/**
 * Loads `pipeline.config.ts` (or the file `--config` names), builds and checks the asset graph and
 * its kinds, makes the resources, and applies overrides: `--warehouse`, then `DUCKDAG_WAREHOUSE`, then the config's own value; likewise
 * `DUCKDAG_MEMORY_LIMIT` and `DUCKDAG_THREADS` over the config's DuckDB settings.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyAssetsDefinition } from '../kernel/asset-definition.ts';
import { AssetGraph } from '../kernel/asset-graph.ts';
import { ConfigError, describeError, DuckdagError } from '../kernel/errors.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import { resolveSchedules } from '../kernel/schedule-definition.ts';
import { AssetKinds } from '../../storage/asset-kinds.ts';
import type { DuckdbSettings } from '../../storage/duckdb-settings.ts';
import type { DuckdagConfig, ResolvedConfig } from './duckdag-config.ts';

/** Imports the config module at an absolute path (the CLI compiles it first: see `core/bin/compiled-config.js`). */
export type ConfigImporter = (configPath: string) => Promise<unknown>;

const importSource: ConfigImporter = (configPath) => import(pathToFileURL(configPath).href);

export interface ConfigOverrides {
  readonly warehouse?: string;
  readonly concurrency?: number;
  readonly lockTimeoutMs?: number;
}

/** Imports the config module and resolves it; throws `ConfigError` or `DefinitionError` (exit 2). */
export async function loadConfig(
  configPath: string,
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
  importConfig: ConfigImporter = importSource,
): Promise<ResolvedConfig> {
  const absolutePath = resolve(configPath);
  if (!existsSync(absolutePath)) {
    throw new ConfigError('DUCKDAG_CONFIG_MISSING', `config file ${absolutePath} does not exist; pass --config PATH`);
  }
  const config = await configModule(absolutePath, importConfig);
  const rootDir = dirname(absolutePath);
  const graph = AssetGraph.build(assetsOf(config, absolutePath));
  const kinds = new AssetKinds(config.kinds ?? []);
  kinds.check(graph);
  const warehouse = overrides.warehouse ?? nonEmpty(env.DUCKDAG_WAREHOUSE);
  return {
    configPath: absolutePath,
    rootDir,
    graph,
    kinds,
    resources: makeResources(config, absolutePath),
    warehousePath: warehouse === undefined ? resolve(rootDir, config.warehouse ?? 'data/warehouse.duckdb') : resolve(warehouse),
    concurrency: positiveInteger('--concurrency', overrides.concurrency ?? config.concurrency ?? availableParallelism()),
    lockTimeoutMs: nonNegative('--lock-timeout', overrides.lockTimeoutMs ?? config.lockTimeoutMs ?? 10_000),
    duckdb: duckdbSettings(config.duckdb ?? {}, env),
    schedules: resolveSchedules(config.schedules ?? [], graph, `config ${absolutePath}`),
  };
}

const sizePattern = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
const vectorSize = 2048;

function duckdbSettings(settings: DuckdbSettings, env: NodeJS.ProcessEnv): DuckdbSettings {
  const memoryEnv = nonEmpty(env.DUCKDAG_MEMORY_LIMIT);
  const threadsEnv = nonEmpty(env.DUCKDAG_THREADS);
  const memoryLimit = memoryEnv ?? settings.memoryLimit;
  const memoryName = memoryEnv === undefined ? 'duckdb.memoryLimit' : 'DUCKDAG_MEMORY_LIMIT';
  if (memoryLimit !== undefined && !sizePattern.test(memoryLimit.trim())) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `${memoryName} must be a size such as 512MB or 4GB, got ${JSON.stringify(memoryLimit)}`);
  }
  const threads = threadsEnv === undefined ? settings.threads : Number(threadsEnv);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    const name = threadsEnv === undefined ? 'duckdb.threads' : 'DUCKDAG_THREADS';
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `${name} must be a positive integer, got ${JSON.stringify(threadsEnv ?? threads)}`);
  }
  const { rowGroupSize } = settings;
  if (rowGroupSize !== undefined && (!Number.isInteger(rowGroupSize) || rowGroupSize < vectorSize || rowGroupSize % vectorSize !== 0)) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `duckdb.rowGroupSize must be a positive multiple of ${vectorSize}, got ${rowGroupSize}`);
  }
  return { memoryLimit: memoryLimit?.trim(), threads, rowGroupSize };
}

async function configModule(path: string, importConfig: ConfigImporter): Promise<DuckdagConfig> {
  let module: { default?: unknown };
  try {
    module = (await importConfig(path)) as { default?: unknown };
  } catch (error) {
    if (error instanceof DuckdagError) throw error;
    throw new ConfigError('DUCKDAG_CONFIG_INVALID', `cannot load config ${path}: ${describeError(error)}`, { cause: error });
  }
  const config = module.default;
  if (typeof config !== 'object' || config === null || !('assets' in config)) {
    throw new ConfigError(
      'DUCKDAG_CONFIG_INVALID',
      `config ${path} must export default defineConfig({ assets: [...] })`,
    );
  }
  return config as DuckdagConfig;
}

function assetsOf(config: DuckdagConfig, path: string): readonly AnyAssetsDefinition[] {
  if (!Array.isArray(config.assets)) {
    throw new ConfigError('DUCKDAG_CONFIG_INVALID', `config ${path}: assets must be an array of asset definitions`);
  }
  return config.assets;
}

function makeResources(config: DuckdagConfig, path: string): ResourceValues {
  let resources: unknown;
  try {
    resources = typeof config.resources === 'function' ? config.resources() : (config.resources ?? {});
  } catch (error) {
    if (error instanceof DuckdagError) throw error;
    throw new ConfigError('DUCKDAG_CONFIG_INVALID', `config ${path}: making the resources failed: ${describeError(error)}`, { cause: error });
  }
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new ConfigError('DUCKDAG_CONFIG_INVALID', `config ${path}: resources must be an object of resources by key`);
  }
  return resources as ResourceValues;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `${name} must be a non-negative number, got ${value}`);
  }
  return value;
}
