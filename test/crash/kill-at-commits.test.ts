/**
 * Crash safety, as found by killing real processes: a shim (killshim.c, built here with the
 * system's C compiler) SIGKILLs duckdag just before a chosen write to DuckDB's WAL. After every kill,
 * each table asset's partition must be exactly as it was before the run, or exactly what a whole run
 * writes; never a mix. Run by `npm run test:crash` (it needs a C compiler, which `npm test` does not).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { duckdagBin, repoRoot } from '../support/fixture-project.ts';
import { listing, writeResponses, type Listing } from '../support/listing-responses.ts';
import { buildKillShim } from '../support/kill-shim.ts';
import { tempDir } from '../support/temp-dir.ts';

const partition = '2026-11-20';
const tables = ['raw_listings', 'cleaned_listings', 'rejected_listings', 'high_volume_sales'] as const;

let shim = '';
let dir = '';
let baseline = '';
let bigSample = '';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function duckdag(warehouse: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [duckdagBin, '--warehouse', warehouse, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ALERT_OUTBOX_DIR: join(dir, 'outbox'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Row count and an order-independent hash of every row, per table, for the partition. */
async function fingerprints(warehouse: string): Promise<Record<string, string>> {
  const select = tables
    .map((table) => `(SELECT count(*) || ':' || coalesce(sum(hash(t)::HUGEINT), 0) FROM ${table} t WHERE snapshot_date = DATE '${partition}') AS ${table}`)
    .join(', ');
  const run = await duckdag(warehouse, ['query', `SELECT ${select}`, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as Record<string, string>[])[0]!;
}

/** The history's latest row count per table for the partition, as `count:`-prefixed as the fingerprints. */
async function recordedCounts(warehouse: string): Promise<Record<string, number>> {
  const run = await duckdag(warehouse, [
    'query',
    `SELECT asset, row_count FROM duckdag.materializations WHERE partition_key = '${partition}' AND status = 'materialized'
     QUALIFY row_number() OVER (PARTITION BY asset ORDER BY finished_at DESC) = 1`,
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries((JSON.parse(run.stdout) as { asset: string; row_count: number }[]).map((row) => [row.asset, row.row_count]));
}

/** Wide listings (~1.4 KB each, as the API's), enough of them that DuckDB writes row groups optimistically. */
function wideSample(target: string, categories: number, perCategory: number): string {
  const pages: Record<string, Listing[][]> = {};
  for (let c = 0; c < categories; c += 1) {
    const category = `MLA${1000 + c}`;
    pages[category] = Array.from({ length: perCategory / 50 }, (_, page) =>
      Array.from({ length: 50 }, (_, index) => {
        const n = c * perCategory + page * 50 + index;
        return listing(`MLA${n}`, { price: 1000 + (n % 9000), sold_quantity: [5, 50, 500, 5000][n % 4], attributes: 'x'.repeat(1100) });
      }),
    );
  }
  return writeResponses(target, pages);
}

before(async () => {
  dir = tempDir({ after: (fn: () => void) => process.on('exit', fn) } as never, 'duckdag-crash-');
  shim = buildKillShim(dir);
  bigSample = wideSample(join(dir, 'big-sample'), 40, 1000);
  baseline = join(dir, 'baseline.duckdb');
  const first = await duckdag(baseline, ['materialize', '-p', partition]);
  assert.equal(first.code, 0, first.stderr);
});

const bigRunEnv = { MERCADOLIBRE_SAMPLE_DIR: '', MERCADOLIBRE_ITEMS_PER_CATEGORY: '1000' };

/** A copy of the baseline warehouse (the bundled sample's day) to run the big day over. */
function copyOfBaseline(name: string): string {
  const path = join(dir, `${name}.duckdb`);
  for (const suffix of ['', '.wal']) rmSync(`${path}${suffix}`, { force: true });
  copyFileSync(baseline, path);
  return path;
}

async function assertAsBeforeOrNew(warehouse: string, old: Record<string, string>, fresh: Record<string, string>, label: string) {
  const now = await fingerprints(warehouse);
  const counts = await recordedCounts(warehouse);
  for (const table of tables) {
    assert.ok(now[table] === old[table] || now[table] === fresh[table], `${label}: ${table} is neither as before nor new: ${now[table]} (before ${old[table]}, new ${fresh[table]})`);
    assert.equal(String(counts[table]), now[table]!.split(':')[0], `${label}: ${table}'s history disagrees with its rows`);
  }
}

test('a kill just before each commit marker of a run leaves every partition as it was or completely new', async () => {
  const env = { ...bigRunEnv, MERCADOLIBRE_SAMPLE_DIR: bigSample };
  const old = await fingerprints(baseline);
  const clean = copyOfBaseline('clean');
  const whole = await duckdag(clean, ['materialize', '-p', partition, '--force'], env);
  assert.equal(whole.code, 0, whole.stderr);
  const fresh = await fingerprints(clean);
  assert.notDeepEqual(fresh, old);
  let kills = 0;
  for (let marker = 1; ; marker += 1) {
    const warehouse = copyOfBaseline(`marker-${marker}`);
    const run = await duckdag(warehouse, ['materialize', '-p', partition, '--force'], { ...env, LD_PRELOAD: shim, KILL_AT: `walmark:${marker}` });
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      break;
    }
    kills += 1;
    await assertAsBeforeOrNew(warehouse, old, fresh, `killed at commit marker ${marker}`);
  }
  assert.ok(kills >= 2, `expected the run to write several commit markers, it wrote ${kills}`);
});

test('kills at random moments of a run leave every partition as it was or completely new', async () => {
  const env = { ...bigRunEnv, MERCADOLIBRE_SAMPLE_DIR: bigSample };
  const old = await fingerprints(baseline);
  const clean = copyOfBaseline('clean-random');
  assert.equal((await duckdag(clean, ['materialize', '-p', partition, '--force'], env)).code, 0);
  const fresh = await fingerprints(clean);
  for (const delayMs of [300, 900, 1500, 2100, 2700, 3300, 4200, 5400]) {
    const warehouse = copyOfBaseline(`random-${delayMs}`);
    await duckdag(warehouse, ['materialize', '-p', partition, '--force'], env, delayMs);
    await assertAsBeforeOrNew(warehouse, old, fresh, `killed after ${delayMs} ms`);
  }
});

test('a kill before each WAL write of an unpartitioned table swap leaves the table as it was or completely new', async () => {
  const project = join(dir, 'flat-project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(project, 'duckdag.config.ts'),
    `import { defineConfig, sql, tableAsset } from ${JSON.stringify(join(repoRoot, 'core/index.ts'))};
     const rows = Number(process.env.ROWS);
     const flat = tableAsset({ name: 'flat', materialize: async (_, ctx) => ctx.output.createAs(sql\`SELECT range AS n, repeat('x', 200) || range AS label FROM range(\${rows})\`) });
     export default defineConfig({ assets: [flat], duckdb: { rowGroupSize: 16384 } });`,
  );
  const config = ['--config', join(project, 'duckdag.config.ts')];
  const base = join(project, 'base.duckdb');
  assert.equal((await duckdag(base, [...config, 'materialize'], { ROWS: '3' })).code, 0);
  const count = async (warehouse: string) => JSON.parse((await duckdag(warehouse, [...config, 'query', 'SELECT count(*) AS n FROM flat', '--json'])).stdout)[0].n as number;
  let kills = 0;
  for (let write = 1; ; write += 1) {
    const warehouse = join(project, `write-${write}.duckdb`);
    copyFileSync(base, warehouse);
    const run = await duckdag(warehouse, [...config, 'materialize'], { ROWS: '300000', LD_PRELOAD: shim, KILL_AT: `walwrite:${write}` });
    if (run.signal !== 'SIGKILL') break;
    kills += 1;
    assert.ok([3, 300_000].includes(await count(warehouse)), `killed before WAL write ${write}: flat has ${await count(warehouse)} rows`);
  }
  assert.ok(kills >= 1);
});
