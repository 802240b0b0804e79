/**
 * The project's static analysis, kept between commands: stored beside the compiled config
 * (`node_modules/.cache/duckdag/analysis-<hash>.json`) with the size and modification time of every
 * file it read, and reused while they all match. Only when one changed is the analysis (and
 * ts-morph, whose import alone takes most of a second) loaded and run again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectAnalysis } from './project-analysis.ts';

type Stamp = readonly [path: string, size: number, mtimeMs: number];

interface CachedAnalysis {
  readonly inputs: readonly Stamp[];
  readonly analysis: ProjectAnalysis;
}

/** The analysis code itself: a change to it makes every cached analysis stale. */
const analysisDir = fileURLToPath(new URL('.', import.meta.url));

/** The analysis of the project whose config is at `configPath`, from the cache when still fresh. */
export async function projectAnalysis(configPath: string): Promise<ProjectAnalysis> {
  const cachePath = cachePathOf(configPath);
  const cached = freshCache(cachePath);
  if (cached !== undefined) return cached;
  const ownFiles = readdirSync(analysisDir).map((name) => join(analysisDir, name));
  const { analyzeProject } = await import('./analyze-project.ts');
  const startedAt = Date.now();
  const run = await analyzeProject(configPath);
  const inputs = [...new Set([...ownFiles, ...run.inputs])].map(stampOf).filter((stamp) => stamp !== undefined);
  // A file edited while the analysis ran may have been read before the edit: nothing is kept then.
  if (inputs.every(([, , mtimeMs]) => mtimeMs < startedAt)) {
    mkdirSync(dirname(cachePath), { recursive: true });
    const temporary = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ inputs, analysis: run.analysis } satisfies CachedAnalysis));
    renameSync(temporary, cachePath);
  }
  return run.analysis;
}

/** The cached analysis of the project if every file it read is unchanged; never runs the analysis. */
export function cachedProjectAnalysis(configPath: string): ProjectAnalysis | undefined {
  return freshCache(cachePathOf(configPath));
}

function cachePathOf(configPath: string): string {
  return join(dirname(configPath), 'node_modules', '.cache', 'duckdag', `analysis-${createHash('sha256').update(configPath).digest('hex').slice(0, 12)}.json`);
}

function freshCache(cachePath: string): ProjectAnalysis | undefined {
  const cached = readCache(cachePath);
  return cached !== undefined && cached.inputs.every(([path, size, mtimeMs]) => sameStamp(stampOf(path), size, mtimeMs)) ? cached.analysis : undefined;
}

function readCache(path: string): CachedAnalysis | undefined {
  try {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as CachedAnalysis;
    return Array.isArray(cached.inputs) && typeof cached.analysis === 'object' ? cached : undefined;
  } catch {
    return undefined;
  }
}

function stampOf(path: string): Stamp | undefined {
  try {
    const stat = statSync(path);
    return [path, stat.size, stat.mtimeMs];
  } catch {
    return undefined;
  }
}

function sameStamp(stamp: Stamp | undefined, size: number, mtimeMs: number): boolean {
  return stamp !== undefined && stamp[1] === size && stamp[2] === mtimeMs;
}
