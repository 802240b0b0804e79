import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { coreIndex, fixtureProject, waitForOutput } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';

const smallProject = (t: Parameters<typeof fixtureProject>[0]) => fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig });

test('duckdag --help lists the commands and exits 0', async (t) => {
  const run = await smallProject(t).run(['--help']);
  assert.equal(run.code, 0);
  for (const command of ['materialize', 'list', 'status', 'runs', 'query', 'graph']) assert.match(run.stdout, new RegExp(command));
});

test('an unknown option is a usage error with exit code 2', async (t) => {
  const run = await smallProject(t).run(['materialize', '--selct', 'big']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Unknown argument: selct/);
});

test('materialize exits 0 when every asset materialized or was skipped', async (t) => {
  const run = await smallProject(t).run(['materialize', '--partition', '2026-11-24'], { env: { MIN: '100' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /○ summary skipped: upstream big is empty/);
  assert.match(run.stdout, /○ note skipped: upstream big is empty/);
});

test('materialize exits 1 when an asset fails, and says which and why', async (t) => {
  const run = await smallProject(t).run(['materialize'], { env: { BROKEN: '1' } });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /✗ broken failed: asset broken: .*the source is down/);
  assert.match(run.stdout, /✓ note materialized/);
});

test('materialize --json prints the run result with one entry per asset', async (t) => {
  const run = await smallProject(t).run(['materialize', '--select', '+summary', '--partition', '2026-11-20', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.status, 'succeeded');
  assert.equal(result.partitionKey, '2026-11-20');
  assert.equal(result.selection, '+summary');
  assert.match(result.runId, /^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
  assert.deepEqual(
    result.assets.map((asset: { asset: string; status: string; rowCount: number | null }) => [asset.asset, asset.status, asset.rowCount]),
    [['numbers', 'materialized', 10], ['big', 'materialized', 4], ['summary', 'materialized', null]],
  );
  assert.deepEqual(result.assets[1].metadata.columns, [{ name: 'day', type: 'DATE' }, { name: 'n', type: 'BIGINT' }]);
});

test('materialize --dry-run prints the plan, runs nothing and creates no warehouse', async (t) => {
  const project = smallProject(t);
  const run = await project.run(['materialize', '--dry-run', '--select', 'big+', '--partition', '2026-11-24']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /asset big: upstream numbers is not selected and has no materialization for partition 2026-11-24/);
  const plan = await project.run(['materialize', '--dry-run', '--select', '+summary', '--partition', '2026-11-24']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal(
    plan.stdout,
    [
      'plan: 3 assets, partition 2026-11-24',
      '  1. numbers (table) [2026-11-24]',
      '  2. big (table) [2026-11-24] ← numbers',
      '  3. summary (value) [2026-11-24] ← big',
      '',
    ].join('\n'),
  );
  assert.equal(existsSync(join(project.dir, 'data/warehouse.duckdb')), false);
});

test('materialize --dry-run --json prints the plan with what each step reads from the warehouse', async (t) => {
  const project = smallProject(t);
  assert.equal((await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-24'])).code, 0);
  const run = await project.run(['materialize', '--dry-run', '--json', '--select', 'big', '--partition', '2026-11-24']);
  assert.equal(run.code, 0, run.stderr);
  const plan = JSON.parse(run.stdout);
  assert.deepEqual(plan.steps, [
    {
      asset: 'big',
      kind: 'table',
      compute: 'sql',
      partitionKey: '2026-11-24',
      reads: [{ asset: 'numbers', partitionKey: '2026-11-24', input: 'numbers', partitionOffset: 0, source: 'warehouse' }],
      resourceKeys: [],
    },
  ]);
  const runs = await project.run(['runs', '--json']);
  assert.equal(JSON.parse(runs.stdout).length, 1);
});

test('an unknown asset in --select exits 2 and suggests the closest name', async (t) => {
  const run = await smallProject(t).run(['materialize', '--select', 'summry']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no asset named "summry"; did you mean "summary"\?/);
});

test('a partition that is not a date exits 2 naming the option', async (t) => {
  const run = await smallProject(t).run(['materialize', '--partition', '2026-02-30']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--partition must be a date written YYYY-MM-DD, got "2026-02-30"/);
});

test('errors under --json are printed as JSON with a stable code', async (t) => {
  const run = await smallProject(t).run(['materialize', '--select', 'nope', '--json']);
  assert.equal(run.code, 2);
  assert.deepEqual(JSON.parse(run.stdout).error.code, 'DUCKDAG_SELECTION_UNKNOWN_ASSET');
});

test('a cycle in the definitions exits 2 and prints the cycle', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `
      import { defineConfig, sql, sqlAsset } from ${JSON.stringify(coreIndex)};
      const a = sqlAsset({ name: 'a', query: () => sql\`SELECT 1\` });
      const b = sqlAsset({ name: 'b', deps: { a }, query: () => sql\`SELECT 1\` });
      a.deps.b = b;
      export default defineConfig({ assets: [a, b] });
    `,
  });
  const run = await project.run(['list']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /assets form a cycle: a → b → a/);
});

test('a config that does not exist exits 2 naming the file', async (t) => {
  const project = smallProject(t);
  const run = await project.run(['list', '--config', join(project.dir, 'missing.config.ts')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /missing\.config\.ts does not exist/);
});

test('a second writer waits, then exits 3 naming the pid that holds the warehouse', async (t) => {
  const project = smallProject(t);
  const holder = project.spawn(['materialize', '--select', 'numbers'], { env: { HOLD: '1' } });
  t.after(() => holder.kill('SIGKILL'));
  await waitForOutput(holder, 'holding the warehouse');
  const run = await project.run(['materialize', '--lock-timeout', '300']);
  assert.equal(run.code, 3);
  assert.match(run.stderr, new RegExp(`warehouse busy: held by pid ${holder.pid} since \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(duckdag materialize\\)`));
});

test('list --json shows each asset with kind, group, deps and last status', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-24']);
  const run = await project.run(['list', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const assets = JSON.parse(run.stdout);
  assert.deepEqual(assets[0], {
    asset: 'broken',
    kind: 'table',
    group: 'default',
    deps: '',
    partitions: '',
    last_status: 'never',
    last_partition: null,
    last_finished_at: null,
    state: 'missing',
    causes: '',
  });
  assert.deepEqual(
    assets.map((asset: { asset: string; last_status: string; state: string }) => [asset.asset, asset.last_status, asset.state]),
    [['broken', 'never', 'missing'], ['numbers', 'materialized', 'fresh'], ['big', 'never', 'missing'], ['summary', 'never', 'missing'], ['note', 'never', 'missing']],
  );
});

test('list shows an asset stale, with the cause, once its upstream is materialized after it', async (t) => {
  const project = smallProject(t);
  assert.equal((await project.run(['materialize', '--select', '+big', '--partition', '2026-11-24'])).code, 0);
  assert.equal((await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-24'])).code, 0);
  const assets = JSON.parse((await project.run(['list', '--json'])).stdout) as { asset: string; state: string; causes: string }[];
  const big = assets.find((asset) => asset.asset === 'big');
  assert.equal(big?.state, 'stale');
  assert.match(big?.causes ?? '', /upstream numbers materialized after it/);
  assert.equal(assets.find((asset) => asset.asset === 'numbers')?.state, 'fresh');
});

test('list works before the warehouse exists, without creating it', async (t) => {
  const project = smallProject(t);
  const run = await project.run(['list']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /summary/);
  assert.equal(existsSync(join(project.dir, 'data/warehouse.duckdb')), false);
});

test('status --json shows the latest materialization per asset and partition', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-23']);
  await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-24']);
  await project.run(['materialize', '--select', 'numbers', '--partition', '2026-11-24']);
  const run = await project.run(['status', '--json']);
  const rows = JSON.parse(run.stdout);
  assert.deepEqual(
    rows
      .filter((row: { state: string }) => row.state !== 'missing')
      .map((row: { asset: string; partition_key: string; status: string; row_count: number }) => [row.asset, row.partition_key, row.status, row.row_count]),
    [['numbers', '2026-11-23', 'materialized', 10], ['numbers', '2026-11-24', 'materialized', 10]],
  );
  // The assets never materialized at those partitions are listed too, as missing and without a status.
  const missing = rows.filter((row: { state: string }) => row.state === 'missing');
  assert.ok(missing.length > 0);
  assert.ok(missing.every((row: { asset: string; status: string | null }) => row.asset !== 'numbers' && row.status === null));
});

test('runs --json lists runs newest first with counts per status', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--partition', '2026-11-24'], { env: { MIN: '100' } });
  const run = await project.run(['runs', '--json']);
  const [latest] = JSON.parse(run.stdout);
  assert.equal(latest.status, 'succeeded');
  assert.equal(latest.partition_key, '2026-11-24');
  assert.deepEqual([latest.materialized, latest.skipped, latest.failed], [3, 2, 0]);
});

test('query prints JSON and CSV, and refuses to write', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'numbers']);
  const json = await project.run(['query', 'SELECT n, n * 2 AS twice FROM numbers ORDER BY n LIMIT 2', '--json']);
  assert.deepEqual(JSON.parse(json.stdout), [{ n: 0, twice: 0 }, { n: 1, twice: 2 }]);
  const csv = await project.run(['query', `SELECT 'a,b' AS text, 1 AS n`, '--csv']);
  assert.equal(csv.stdout, 'text,n\n"a,b",1\n');
  const write = await project.run(['query', 'DELETE FROM numbers']);
  assert.equal(write.code, 2);
  assert.match(write.stderr, /read-only/);
});

test('--warehouse overrides DUCKDAG_WAREHOUSE, which overrides the config', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'broken'], { env: { DUCKDAG_WAREHOUSE: join(project.dir, 'env.duckdb') } });
  await project.run(['materialize', '--select', 'broken', '--warehouse', join(project.dir, 'flag.duckdb')], {
    env: { DUCKDAG_WAREHOUSE: join(project.dir, 'env.duckdb') },
  });
  assert.equal(existsSync(join(project.dir, 'env.duckdb')), true);
  assert.equal(existsSync(join(project.dir, 'flag.duckdb')), true);
  assert.equal(existsSync(join(project.dir, 'data/warehouse.duckdb')), false);
});

test('graph --json lists assets in topological order with their edges', async (t) => {
  const run = await smallProject(t).run(['graph', '--json']);
  const graph = JSON.parse(run.stdout);
  assert.deepEqual(graph.assets.map((asset: { name: string }) => asset.name), ['broken', 'numbers', 'big', 'summary', 'note']);
  assert.deepEqual(graph.edges, [{ from: 'big', to: 'summary' }, { from: 'numbers', to: 'big' }, { from: 'summary', to: 'note' }]);
});
