/**
 * Scenario 3: what duckdag itself costs. (a) a chain of 40 assets doing 10 ms of work each, as a
 * whole `duckdag materialize` process; (b) 2,000 trivial SQL assets against bare CREATE TABLE AS
 * statements (the target: under 1.5 ms per asset over them), and against the statements duckdag
 * sends for them (table, history) by hand;
 * (c) graph building, selection and planning on 10,000 assets, in-process.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { selectAssets } from '../core/kernel/asset-selection.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { compiledScript } from './compiled-script.ts';
import { median, ratio } from './stats.ts';
import { timeProcess } from './time-process.ts';

const coreIndex = JSON.stringify(join(repoRoot, 'core/index.ts'));

/** Writes a throwaway project whose config is `config`; returns the config path. */
function project(dir: string, config: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'duckdag.config.ts'), config);
  return join(dir, 'duckdag.config.ts');
}

const busyWork = 'const work = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };';

export async function chainOf40(context: BenchContext): Promise<BenchRow> {
  const dir = join(context.workDir, 'chain-40');
  const config = project(
    dir,
    `import { defineConfig, valueAsset } from ${coreIndex};
${busyWork}
const assets = [];
for (let i = 0; i < 40; i += 1) {
  const previous = assets.at(-1);
  assets.push(valueAsset({ name: 'step_' + String(i).padStart(2, '0'), deps: previous ? { previous } : {}, compute: () => (work(10), i + 1) }));
}
export default defineConfig({ assets });
`,
  );
  const times: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < context.runs; run += 1) {
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    times.push((await timeProcess(process.execPath, [duckdagBin, 'materialize', '--config', config], { cwd: dir })).wallMs);
    baseline.push((await timeProcess(process.execPath, ['-e', `${busyWork} for (let i = 0; i < 40; i += 1) work(10);`])).wallMs);
  }
  const medianMs = median(times);
  return {
    scenario: 'orchestration',
    case: '40-asset chain, 10 ms of work each (whole process)',
    medianMs,
    baseline: 'plain node doing the same 40 × 10 ms',
    baselineMs: median(baseline),
    ratio: ratio(medianMs, median(baseline)),
    target: '< 1.0 s',
    met: medianMs < 1000,
  };
}

/** Asset i reads nothing and depends on assets i-1 and i/2, so the DAG is deep and wide. */
function dagDeps(i: number): number[] {
  return i === 0 ? [] : [...new Set([i - 1, Math.floor(i / 2)])];
}

export async function dagOf2000(context: BenchContext): Promise<BenchRow[]> {
  const count = 2000;
  const dir = join(context.workDir, 'dag-2000');
  const config = project(
    dir,
    `import { defineConfig, sql, sqlAsset } from ${coreIndex};
const assets = [];
for (let i = 0; i < ${count}; i += 1) {
  const deps = Object.fromEntries((i === 0 ? [] : [...new Set([i - 1, Math.floor(i / 2)])]).map((d) => ['up_' + d, assets[d]]));
  assets.push(sqlAsset({ name: 'a_' + i, deps, query: () => sql\`SELECT \${i} AS n\` }));
}
export default defineConfig({ assets });
`,
  );
  const baselineSource = join(dir, 'baseline.ts');
  writeFileSync(
    baselineSource,
    `import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[2]);
const connection = await instance.connect();
for (let i = 0; i < ${count}; i += 1) await connection.run('CREATE TABLE a_' + i + ' AS SELECT ' + i + ' AS n');
connection.closeSync();
instance.closeSync();
`,
  );
  const times: number[] = [];
  const bare: number[] = [];
  const replayed: number[] = [];
  const replayWarehouse = join(dir, 'replay.duckdb');
  const baselineScript = await compiledScript(baselineSource, context.workDir);
  const replayScript = await compiledScript(join(repoRoot, 'bench/dag-statements-baseline.ts'), context.workDir);
  for (let run = 0; run < context.runs; run += 1) {
    for (const file of [join(dir, 'data'), join(dir, 'baseline.duckdb'), replayWarehouse]) rmSync(file, { recursive: true, force: true });
    times.push((await timeProcess(process.execPath, [duckdagBin, 'materialize', '--config', config], { cwd: dir })).wallMs);
    bare.push((await timeProcess(process.execPath, [baselineScript, join(dir, 'baseline.duckdb')], { cwd: repoRoot })).wallMs);
    const replay = [replayScript, replayWarehouse, String(count)];
    replayed.push((await timeProcess(process.execPath, replay, { cwd: repoRoot })).wallMs);
    context.log(`  run ${run + 1}: duckdag ${Math.round(times.at(-1)!)} ms, bare CTAS ${Math.round(bare.at(-1)!)} ms, duckdag's statements ${Math.round(replayed.at(-1)!)} ms`);
  }
  const medianMs = median(times);
  const perAsset = (baselineMs: number) => Math.round(((medianMs - baselineMs) / count) * 100) / 100;
  const row = (baseline: string, baselineMs: number, target: string, met: boolean): BenchRow => ({
    scenario: 'orchestration',
    case: `${count} trivial SQL assets (whole process)`,
    medianMs,
    baseline,
    baselineMs,
    ratio: ratio(medianMs, baselineMs),
    target,
    met,
    extra: { perAssetMs: perAsset(baselineMs) },
  });
  return [
    row(`the same ${count} CREATE TABLE AS by hand`, median(bare), '< 1.5 ms per asset over it', perAsset(median(bare)) < 1.5),
    row(`duckdag's own statements (table, history) by hand`, median(replayed), '—', true),
  ];
}

export function planning10k(context: BenchContext): BenchRow {
  const count = 10_000;
  const definitions: AnyAssetsDefinition[] = [];
  for (let i = 0; i < count; i += 1) {
    const deps = Object.fromEntries(dagDeps(i).map((dep) => [`up_${dep}`, definitions[dep]!]));
    definitions.push(sqlAsset({ name: `a_${i}`, deps, query: () => sql`SELECT 1` }));
  }
  const times: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < context.runs + 1; run += 1) {
    let started = performance.now();
    const graph = AssetGraph.build(definitions);
    selectAssets(graph, '*');
    selectAssets(graph, '+a_5000+', 'a_0');
    const elapsed = performance.now() - started;
    started = performance.now();
    const plain = new DirectedGraph();
    for (let i = 0; i < count; i += 1) plain.addNode(`a_${i}`);
    for (let i = 0; i < count; i += 1) for (const dep of dagDeps(i)) plain.mergeEdge(`a_${dep}`, `a_${i}`);
    topologicalSort(plain);
    const plainElapsed = performance.now() - started;
    if (run > 0) {
      times.push(elapsed);
      baseline.push(plainElapsed);
    }
  }
  const medianMs = median(times);
  return {
    scenario: 'orchestration',
    case: `build, select and plan ${count.toLocaleString('en-US')} assets (in-process)`,
    medianMs,
    baseline: 'graphology build + topological sort alone',
    baselineMs: median(baseline),
    ratio: ratio(medianMs, median(baseline)),
    target: '< 0.5 s',
    met: medianMs < 500,
  };
}
