import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { coreIndex, fixtureProject, waitForOutput } from './support/fixture-project.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

test('an asset that throws mid-write leaves its previous rows and no staging table', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { fail: false };
  const items = tableAsset({
    name: 'items',
    materialize: async (_, ctx) => {
      await ctx.output.createAs(sql`SELECT range AS n FROM range(${state.fail ? 1000 : 3})`);
      if (state.fail) throw new Error('lost the connection to the source');
    },
  });
  await warehouse.run([items]);
  state.fail = true;
  const result = await warehouse.run([items]);
  assert.equal(result.assets[0]?.status, 'failed');
  assert.match(result.assets[0]?.error ?? '', /asset items: lost the connection to the source/);
  assert.deepEqual(await warehouse.query('SELECT n FROM items ORDER BY n'), [{ n: 0 }, { n: 1 }, { n: 2 }]);
  assert.deepEqual(await warehouse.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%staging%'`), []);
});

test('a failed materialization is recorded in the history with its error', async (t) => {
  const warehouse = tempWarehouse(t);
  const broken = sqlAsset({ name: 'broken', query: () => sql`SELECT no_such_column FROM range(3)` });
  await warehouse.run([broken]);
  const [row] = await warehouse.query<{ status: string; error: string }>(`SELECT status, error FROM duckdag.materializations`);
  assert.equal(row?.status, 'failed');
  assert.match(row?.error ?? '', /no_such_column/);
});

test('a SQL error names the asset and the position in the SQL', async (t) => {
  const warehouse = tempWarehouse(t);
  const broken = sqlAsset({ name: 'broken', query: () => sql`SELECT 1 AS a FROM range(3) WHERE nope > 1` });
  const result = await warehouse.run([broken]);
  assert.match(result.assets[0]?.error ?? '', /asset broken: .*nope[\s\S]*LINE 1/);
});

test('a partitioned asset replaces only its partition and keeps the others', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { rows: 2 };
  const daily = sqlAsset({
    name: 'daily',
    partitions: dailyPartitions('day'),
    query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(${state.rows})`,
  });
  await warehouse.run([daily], { partitionKey: '2026-11-23' });
  await warehouse.run([daily], { partitionKey: '2026-11-24' });
  state.rows = 5;
  await warehouse.run([daily], { partitionKey: '2026-11-24' });
  assert.deepEqual(await warehouse.query(`SELECT CAST(day AS VARCHAR) AS day, count(*) AS n FROM daily GROUP BY day ORDER BY day`), [
    { day: '2026-11-23', n: 2 },
    { day: '2026-11-24', n: 5 },
  ]);
});

test('a partitioned asset whose columns change keeps the other partitions', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { extra: false };
  const daily = sqlAsset({
    name: 'daily',
    partitions: dailyPartitions('day'),
    query: (_, ctx) =>
      state.extra
        ? sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, 1 AS n, 'new' AS note`
        : sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, 1 AS n`,
  });
  await warehouse.run([daily], { partitionKey: '2026-11-23' });
  state.extra = true;
  await warehouse.run([daily], { partitionKey: '2026-11-24' });
  assert.deepEqual(await warehouse.query(`SELECT CAST(day AS VARCHAR) AS day, note FROM daily ORDER BY day`), [
    { day: '2026-11-23', note: null },
    { day: '2026-11-24', note: 'new' },
  ]);
});

test('a partitioned asset that writes rows of another partition fails and changes nothing', async (t) => {
  const warehouse = tempWarehouse(t);
  const daily = sqlAsset({
    name: 'daily',
    partitions: dailyPartitions('day'),
    query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) - INTERVAL 1 DAY AS day`,
  });
  const result = await warehouse.run([daily]);
  assert.match(result.assets[0]?.error ?? '', /asset daily wrote 1 row\(s\) whose day is not 2026-11-24/);
  assert.deepEqual(await warehouse.query(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'`), []);
});

test('a failing asset fails only its downstream; other branches go on', async (t) => {
  const warehouse = tempWarehouse(t);
  const root = sqlAsset({ name: 'root', query: () => sql`SELECT 1 AS n` });
  const bad = sqlAsset({ name: 'bad', deps: { root }, query: () => sql`SELECT error('boom')` });
  const below = sqlAsset({ name: 'below', deps: { bad }, query: ({ bad }) => sql`SELECT * FROM ${bad}` });
  const further = sqlAsset({ name: 'further', deps: { below }, query: ({ below }) => sql`SELECT * FROM ${below}` });
  const good = sqlAsset({ name: 'good', deps: { root }, query: ({ root }) => sql`SELECT * FROM ${root}` });
  const result = await warehouse.run([root, bad, below, further, good]);
  assert.deepEqual(statuses(result), { root: 'materialized', bad: 'failed', below: 'upstream_failed', good: 'materialized', further: 'upstream_failed' });
  assert.equal(result.status, 'failed');
  assert.equal(result.assets.find((asset) => asset.asset === 'further')?.reason, 'upstream bad failed');
});

test('a process killed mid-materialization leaves the previous rows readable', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `
      import { defineConfig, tableAsset } from ${JSON.stringify(coreIndex)};
      const rows = Number(process.env.ROWS);
      const hang = process.env.HANG === '1';
      const items = tableAsset({
        name: 'items',
        materialize: async (_, ctx) => {
          await ctx.output.create({ n: 'BIGINT', label: 'VARCHAR' });
          const appender = await ctx.output.appender();
          for (let n = 0; n < rows; n += 1) appender.appendRow([n, 'row ' + n]);
          appender.flush();
          if (hang) {
            ctx.log('wrote everything, now hanging');
            await new Promise(() => setInterval(() => undefined, 1000));
          }
        },
      });
      export default defineConfig({ assets: [items] });
    `,
  });
  const first = await project.run(['materialize'], { env: { ROWS: '3', HANG: '0' } });
  assert.equal(first.code, 0, first.stderr);
  const child = project.spawn(['materialize'], { env: { ROWS: '200000', HANG: '1' } });
  await waitForOutput(child, 'now hanging');
  child.kill('SIGKILL');
  await once(child, 'close');
  const query = await project.run(['query', 'SELECT count(*) AS n, max(n) AS top FROM items', '--json']);
  assert.equal(query.code, 0, query.stderr);
  assert.deepEqual(JSON.parse(query.stdout), [{ n: 3, top: 2 }]);
});

test('a run left running by a killed process is marked interrupted by the next run', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `
      import { defineConfig, valueAsset } from ${JSON.stringify(coreIndex)};
      const hang = valueAsset({ name: 'hang', compute: async (_, ctx) => {
        if (process.env.HANG === '1') { ctx.log('hanging'); await new Promise(() => setInterval(() => undefined, 1000)); }
        return 1;
      } });
      export default defineConfig({ assets: [hang] });
    `,
  });
  const child = project.spawn(['materialize'], { env: { HANG: '1' } });
  await waitForOutput(child, 'hanging');
  child.kill('SIGKILL');
  await once(child, 'close');
  assert.equal((await project.run(['materialize'], { env: { HANG: '0' } })).code, 0);
  const runs = await project.run(['runs', '--json']);
  assert.deepEqual(
    JSON.parse(runs.stdout).map((run: { status: string }) => run.status),
    ['succeeded', 'interrupted'],
  );
});
