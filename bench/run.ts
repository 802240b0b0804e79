/**
 * `npm run bench`: runs the benchmark scenarios, prints medians with their ratio to a baseline
 * measured in the same invocation, and writes bench/results/latest.json (and a dated copy).
 *
 * Options: --only pipeline,http,orchestration,cli,lint,graph,web-ui,serve   --runs N (default 5)
 *          --pipeline-runs N (default 3)   --sizes 10000,100000,1000000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Table } from 'console-table-printer';
import { repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { cliStart } from './cli-start.ts';
import { graphPage } from './graph-page.ts';
import { httpExtraction } from './http-extraction.ts';
import { lintScale } from './lint-scale.ts';
import { chainOf40, dagOf2000, planning10k } from './orchestration-overhead.ts';
import { pipelineThroughput } from './pipeline-throughput.ts';
import { serveIdle } from './serve-idle.ts';
import { seconds } from './stats.ts';
import { webUi } from './web-ui.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'pipeline,http,orchestration,cli,lint,graph,web-ui,serve' },
    runs: { type: 'string', default: '5' },
    'pipeline-runs': { type: 'string', default: '3' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
  },
});
const only = new Set(values.only.split(','));
const workDir = join(repoRoot, 'bench/.work');
mkdirSync(workDir, { recursive: true });
const context: BenchContext = { workDir, runs: Number(values.runs), log: (line) => console.error(line) };

const rows: BenchRow[] = [];
const scenario = async (name: string, run: () => Promise<BenchRow[]> | BenchRow[]) => {
  if (!only.has(name)) return;
  console.error(`▶ ${name}`);
  rows.push(...(await run()));
};
await scenario('cli', () => cliStart(context));
await scenario('lint', () => lintScale(context));
await scenario('orchestration', async () => [planning10k(context), await chainOf40(context), ...(await dagOf2000(context))]);
await scenario('graph', () => graphPage(context));
await scenario('web-ui', () => webUi(context));
await scenario('serve', () => serveIdle(context));
await scenario('http', () => httpExtraction({ ...context, runs: Math.min(context.runs, 3) }));
await scenario('pipeline', () => pipelineThroughput({ ...context, runs: Number(values['pipeline-runs']) }, values.sizes.split(',').map(Number)));

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const table = new Table({
  columns: ['scenario', 'case', 'median', 'baseline', 'ratio', 'target', 'met'].map((name) => ({ name, alignment: 'left' as const })),
  rowSeparator: true,
  shouldDisableColors: true,
});
for (const row of rows) {
  table.addRow({ scenario: row.scenario, case: row.case, median: seconds(row.medianMs), baseline: `${seconds(row.baselineMs)} (${row.baseline})`, ratio: `${row.ratio}×`, target: row.target, met: row.met ? 'yes' : 'NO' });
}
console.log(table.render());
for (const row of rows.filter((one) => one.extra !== undefined)) console.log(`${row.case}: ${JSON.stringify(row.extra)}`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);

const resultsDir = join(repoRoot, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const result = JSON.stringify({ date: new Date().toISOString(), machine, runs: context.runs, rows }, null, 2);
writeFileSync(join(resultsDir, 'latest.json'), `${result}\n`);
writeFileSync(join(resultsDir, `${new Date().toISOString().replaceAll(':', '-')}.json`), `${result}\n`);
