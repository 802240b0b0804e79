/**
 * What the commands need of code versions and staleness: the versions from the cached static
 * analysis, and each asset's staleness at a partition from the warehouse's history.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { describeError } from '../kernel/errors.ts';
import { assessStaleness, type AssetStaleness } from '../kernel/staleness.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { WarehouseConnection } from '../../storage/warehouse-access.ts';
import type { CliIo } from './cli-io.ts';

/**
 * The project's code versions; none, with a warning, when its source cannot be analysed. With
 * `inChildProcess`, for a process that keeps running (`serve`), an analysis the cache does not hold
 * runs in a child process (`duckdag lint`, which fills the cache), so ts-morph and the TypeScript
 * compiler never stay loaded in this one.
 */
export async function projectCodeVersions(config: ResolvedConfig, io: CliIo, { inChildProcess = false } = {}): Promise<ReadonlyMap<string, string>> {
  const [{ cachedProjectAnalysis, projectAnalysis }, { codeVersionsOf }] = await Promise.all([import('../analysis/analysis-cache.ts'), import('../analysis/project-analysis.ts')]);
  try {
    if (inChildProcess && cachedProjectAnalysis(config.configPath) === undefined) await lintInChildProcess(config.configPath);
    // Still not cached only when a source file changed while the child analysed it.
    return codeVersionsOf(cachedProjectAnalysis(config.configPath) ?? (await projectAnalysis(config.configPath)));
  } catch (error) {
    io.stderr.write(`warning: the project's source could not be analysed, so code versions are not known: ${describeError(error)}\n`);
    return new Map();
  }
}

/**
 * Judges every asset's staleness at a partition, from the history read once on `connection`; all
 * missing when there is no warehouse yet (`null`).
 */
export async function projectStaleness(
  graph: AssetGraph,
  codeVersions: ReadonlyMap<string, string>,
  connection: WarehouseConnection | null,
): Promise<(partitionKey: string | null) => Map<string, AssetStaleness>> {
  let recorded: Parameters<typeof assessStaleness>[2] = () => undefined;
  if (connection !== null) {
    const { recordedMaterializations } = await import('../../storage/history-queries.ts');
    recorded = await recordedMaterializations(connection);
  }
  return (partitionKey) => assessStaleness(graph, codeVersions, recorded, partitionKey);
}

/** Runs `duckdag lint` on the project in a child process, which leaves its analysis in the cache; its findings do not matter here. */
async function lintInChildProcess(configPath: string): Promise<void> {
  const bin = fileURLToPath(new URL('../bin/duckdag.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--config', configPath, 'lint', '--json'], { stdio: 'ignore' });
  await once(child, 'close');
}
