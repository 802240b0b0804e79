import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

/** A source whose row count the test sets before each run. */
function countedSource(name = 'source') {
  const state = { rows: 3 };
  const asset = sqlAsset({ name, query: () => sql`SELECT range AS n FROM range(${state.rows})` });
  return { state, asset };
}

test('a chain below an empty asset is skipped transitively, naming the empty asset', async (t) => {
  const warehouse = tempWarehouse(t);
  const { state, asset: source } = countedSource();
  const middle = sqlAsset({ name: 'middle', deps: { source }, query: ({ source }) => sql`SELECT * FROM ${source}` });
  const leaf = valueAsset({ name: 'leaf', deps: { middle }, compute: () => 'done' });
  state.rows = 0;
  const result = await warehouse.run([source, middle, leaf]);
  assert.deepEqual(statuses(result), { source: 'materialized', middle: 'skipped', leaf: 'skipped' });
  assert.equal(result.status, 'succeeded');
  for (const asset of result.assets.slice(1)) assert.equal(asset.reason, 'upstream source is empty');
});

test('the skip reason is recorded in the materialization history', async (t) => {
  const warehouse = tempWarehouse(t);
  const { state, asset: source } = countedSource();
  const child = sqlAsset({ name: 'child', deps: { source }, query: ({ source }) => sql`SELECT * FROM ${source}` });
  state.rows = 0;
  await warehouse.run([source, child]);
  const rows = await warehouse.query(`SELECT status, reason FROM duckdag.materializations WHERE asset = 'child'`);
  assert.deepEqual(rows, [{ status: 'skipped', reason: 'upstream source is empty' }]);
});

test('in a diamond, one empty branch skips the join but not the other branch', async (t) => {
  const warehouse = tempWarehouse(t);
  const top = sqlAsset({ name: 'top', query: () => sql`SELECT range AS n FROM range(5)` });
  const left = sqlAsset({ name: 'left', deps: { top }, query: ({ top }) => sql`SELECT * FROM ${top} WHERE n > 100` });
  const right = sqlAsset({ name: 'right', deps: { top }, query: ({ top }) => sql`SELECT * FROM ${top}` });
  const join = sqlAsset({ name: 'join', deps: { left, right }, query: ({ left, right }) => sql`SELECT * FROM ${left} UNION ALL SELECT * FROM ${right}` });
  const result = await warehouse.run([top, left, right, join]);
  assert.deepEqual(statuses(result), { top: 'materialized', left: 'materialized', right: 'materialized', join: 'skipped' });
  assert.equal(result.assets.find((asset) => asset.asset === 'join')?.reason, 'upstream left is empty');
});

test('an asset with onUpstreamEmpty "run" runs below an empty upstream', async (t) => {
  const warehouse = tempWarehouse(t);
  const { state, asset: source } = countedSource();
  const audit = sqlAsset({
    name: 'audit',
    deps: { source },
    onUpstreamEmpty: 'run',
    query: ({ source }) => sql`SELECT count(*) AS rows_seen FROM ${source}`,
  });
  state.rows = 0;
  const result = await warehouse.run([source, audit]);
  assert.deepEqual(statuses(result), { source: 'materialized', audit: 'materialized' });
  assert.deepEqual(await warehouse.query('SELECT rows_seen FROM audit'), [{ rows_seen: 0 }]);
});

test('a value asset that returns an empty value skips its downstream', async (t) => {
  const warehouse = tempWarehouse(t);
  const list = valueAsset({ name: 'list', compute: () => [] as string[] });
  const user = valueAsset({ name: 'user', deps: { list }, compute: ({ list }) => list.length });
  assert.deepEqual(statuses(await warehouse.run([list, user])), { list: 'materialized', user: 'skipped' });
});

test('a skipped asset keeps its last data untouched', async (t) => {
  const warehouse = tempWarehouse(t);
  const { state, asset: source } = countedSource();
  const copy = sqlAsset({ name: 'copy', deps: { source }, query: ({ source }) => sql`SELECT n, ${Date.now()} AS built FROM ${source}` });
  const note = valueAsset({ name: 'note', deps: { copy }, compute: async ({ copy }, ctx) => (await ctx.query(sql`SELECT count(*) AS n FROM ${copy}`))[0] });
  await warehouse.run([source, copy, note]);
  const before = await warehouse.query('SELECT * FROM copy ORDER BY n');
  state.rows = 0;
  await warehouse.run([source, copy, note]);
  assert.deepEqual(await warehouse.query('SELECT * FROM copy ORDER BY n'), before);
  assert.deepEqual(await warehouse.query(`SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values WHERE asset = 'note'`), [{ value: '{"n":3}' }]);
});

test('an empty upstream that is not selected is read from the warehouse and still skips', async (t) => {
  const warehouse = tempWarehouse(t);
  const { state, asset: source } = countedSource();
  const child = sqlAsset({ name: 'child', deps: { source }, query: ({ source }) => sql`SELECT * FROM ${source}` });
  state.rows = 0;
  await warehouse.run([source, child], { select: 'source' });
  const result = await warehouse.run([source, child], { select: 'child' });
  assert.deepEqual(statuses(result), { child: 'skipped' });
});

test('an unselected upstream with no materialization for the partition stops the run before anything runs', async (t) => {
  const warehouse = tempWarehouse(t);
  const daily = sqlAsset({ name: 'daily', partitions: dailyPartitions('day'), query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day` });
  const child = sqlAsset({ name: 'child', deps: { daily }, query: ({ daily }) => sql`SELECT * FROM ${daily.partition}` });
  await warehouse.run([daily, child], { select: 'daily', partitionKey: '2026-11-23' });
  await assert.rejects(warehouse.run([daily, child], { select: 'child', partitionKey: '2026-11-24' }), {
    code: 'DUCKDAG_UPSTREAM_MISSING',
    message: /asset child: upstream daily is not selected and has no materialization for partition 2026-11-24/,
  });
  assert.deepEqual(await warehouse.query('SELECT count(*) AS runs FROM duckdag.runs'), [{ runs: 1 }]);
});

test('an unselected upstream materialized earlier is read from the warehouse', async (t) => {
  const warehouse = tempWarehouse(t);
  const { asset: source } = countedSource();
  const child = sqlAsset({ name: 'child', deps: { source }, query: ({ source }) => sql`SELECT sum(n) AS total FROM ${source}` });
  await warehouse.run([source, child], { select: 'source' });
  const result = await warehouse.run([source, child], { select: 'child' });
  assert.deepEqual(statuses(result), { child: 'materialized' });
  assert.deepEqual(await warehouse.query('SELECT total FROM child'), [{ total: 3 }]);
});

test('with several empty upstream assets, the reason names the one furthest upstream: the root cause', async (t) => {
  const warehouse = tempWarehouse(t);
  const zeta = sqlAsset({ name: 'zeta', query: () => sql`SELECT 1 AS n WHERE false` });
  const alpha = sqlAsset({ name: 'alpha', deps: { zeta }, onUpstreamEmpty: 'run', query: ({ zeta }) => sql`SELECT * FROM ${zeta}` });
  const report = valueAsset({ name: 'report', deps: { alpha, zeta }, compute: () => 'sent' });
  const result = await warehouse.run([zeta, alpha, report]);
  assert.deepEqual(statuses(result), { zeta: 'materialized', alpha: 'materialized', report: 'skipped' });
  assert.equal(result.assets.find((asset) => asset.asset === 'report')?.reason, 'upstream zeta is empty');
});
