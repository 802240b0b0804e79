import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssetCheckSpec } from '../core/kernel/asset-check.ts';
import { acceptedValues, freshness, notNull, relationships, rowCount, sqlCheck, unique } from '../core/kernel/built-in-checks.ts';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { resource } from '../core/kernel/resources.ts';
import { sql, type Sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';
import { checkStoredAssets, type CheckRunResult } from '../core/runtime/stored-checks.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { DuckdbAssetStore } from '../storage/duckdb-asset-store.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { statuses, tempWarehouse, type TempWarehouse } from './support/temp-warehouse.ts';

const day = dailyPartitions('day');

/**
 * A partitioned table `items` whose rows for 2026-11-24 come from `rows` (a VALUES list of
 * (id, price, currency, seen_at)), and a fixed, clean 2026-11-23 partition, checked by `check`.
 */
function items(rows: Sql, check: AssetCheckSpec<any>) {
  return sqlAsset({
    name: 'items',
    partitions: day,
    checks: [check],
    query: (_, ctx) =>
      ctx.partitionKey === '2026-11-23'
        ? sql`SELECT DATE '2026-11-23' AS day, 'a' AS id, 1.0 AS price, 'ARS' AS currency, TIMESTAMPTZ '2026-11-23 10:00:00+00' AS seen_at`
        : sql`SELECT DATE '2026-11-24' AS day, * FROM (VALUES ${rows}) AS t(id, price, currency, seen_at)`,
  });
}

async function checkOn(warehouse: TempWarehouse, rows: Sql, check: AssetCheckSpec<any>): Promise<CheckResult> {
  const asset = items(rows, check);
  await warehouse.run([asset], { partitionKey: '2026-11-23' });
  const result = await warehouse.run([asset], { partitionKey: '2026-11-24' });
  const [checked] = result.assets[0]?.checks ?? [];
  assert.ok(checked !== undefined, 'the check ran');
  return checked;
}

const clean = sql`('a', 1.0, 'ARS', TIMESTAMPTZ '2026-11-24 10:00:00+00'), ('b', 2.0, 'USD', TIMESTAMPTZ '2026-11-24 11:00:00+00')`;

test('notNull passes on a partition without NULLs', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, notNull('price'));
  assert.deepEqual({ passed: result.passed, failing: result.failingCount, checked: result.checkedRows }, { passed: true, failing: 0, checked: 2 });
});

test('notNull fails on the NULLs of the partition, with them as the sample', async (t) => {
  const rows = sql`('a', NULL, 'ARS', NULL), ('b', 2.0, 'USD', NULL), ('c', NULL, 'ARS', NULL)`;
  const result = await checkOn(tempWarehouse(t), rows, notNull('price'));
  assert.equal(result.passed, false);
  assert.equal(result.failingCount, 2);
  assert.deepEqual(result.sample.map((row) => row.id).sort(), ['a', 'c']);
});

test('notNull with maxFailingShare passes at the share and fails above it', async (t) => {
  const rows = sql`('a', NULL, 'ARS', NULL), ('b', 2.0, 'USD', NULL), ('c', 3.0, 'ARS', NULL), ('d', 4.0, 'ARS', NULL)`;
  const atShare = await checkOn(tempWarehouse(t), rows, notNull('price', { maxFailingShare: 0.25 }));
  assert.deepEqual({ passed: atShare.passed, allowed: atShare.allowedFailing }, { passed: true, allowed: 1 });
  const above = await checkOn(tempWarehouse(t), rows, notNull('price', { maxFailingShare: 0.2 }));
  assert.deepEqual({ passed: above.passed, allowed: above.allowedFailing }, { passed: false, allowed: 0 });
});

test('unique passes when each id appears once in the partition, even if another partition has it too', async (t) => {
  const rows = sql`('a', 1.0, 'ARS', NULL), ('b', 2.0, 'USD', NULL)`;
  const result = await checkOn(tempWarehouse(t), rows, unique('id'));
  assert.equal(result.passed, true);
});

test('unique fails with one failing row per repeated value and its occurrences', async (t) => {
  const rows = sql`('a', 1.0, 'ARS', NULL), ('a', 2.0, 'USD', NULL), ('a', 3.0, 'USD', NULL), ('b', 1.0, 'ARS', NULL), ('b', 1.0, 'ARS', NULL)`;
  const result = await checkOn(tempWarehouse(t), rows, unique('id'));
  assert.equal(result.passed, false);
  assert.equal(result.failingCount, 2);
  assert.deepEqual(result.sample, [{ id: 'a', occurrences: 3 }, { id: 'b', occurrences: 2 }]);
});

test('acceptedValues passes when every value is accepted', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, acceptedValues('currency', ['ARS', 'USD']));
  assert.equal(result.passed, true);
});

test('acceptedValues fails on a value outside the set', async (t) => {
  const rows = sql`('a', 1.0, 'ARS', NULL), ('b', 2.0, 'EUR', NULL)`;
  const result = await checkOn(tempWarehouse(t), rows, acceptedValues('currency', ['ARS', 'USD']));
  assert.equal(result.passed, false);
  assert.deepEqual(result.sample.map((row) => row.currency), ['EUR']);
});

test('rowCount passes within its bounds', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, rowCount({ min: 2, max: 2 }));
  assert.equal(result.passed, true);
});

test('rowCount fails below its minimum, reporting the partition\'s row count', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, rowCount({ min: 3 }));
  assert.equal(result.passed, false);
  assert.deepEqual(result.sample, [{ row_count: 2 }]);
});

test('rowCount fails above its maximum', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, rowCount({ max: 1 }));
  assert.equal(result.passed, false);
});

test('freshness passes when the partition\'s newest timestamp is recent enough for its day', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, freshness('seen_at', 24));
  assert.equal(result.passed, true);
});

test('freshness fails when the newest timestamp is older than allowed before the end of the partition\'s day', async (t) => {
  const rows = sql`('a', 1.0, 'ARS', TIMESTAMPTZ '2026-11-20 10:00:00+00')`;
  const result = await checkOn(tempWarehouse(t), rows, freshness('seen_at', 48));
  assert.equal(result.passed, false);
  assert.match(String(result.sample[0]?.newest), /^2026-11-20/);
});

test('a custom sqlCheck fails on the rows its query returns', async (t) => {
  const rows = sql`('a', -1.0, 'ARS', NULL), ('b', 2.0, 'USD', NULL)`;
  const result = await checkOn(tempWarehouse(t), rows, sqlCheck({ name: 'price_not_negative', columns: ['price'], query: (rows) => sql`SELECT * FROM ${rows} WHERE price < 0` }));
  assert.deepEqual({ passed: result.passed, failing: result.failingCount, id: result.sample[0]?.id }, { passed: false, failing: 1, id: 'a' });
});

test('a custom sqlCheck passes when its query returns no rows', async (t) => {
  const result = await checkOn(tempWarehouse(t), clean, sqlCheck({ name: 'price_not_negative', query: (rows) => sql`SELECT * FROM ${rows} WHERE price < 0` }));
  assert.equal(result.passed, true);
});

/** `parents` (ids a, b for the day) and `children` whose parent ids come from `ids`. */
function family(ids: readonly string[]) {
  const parents = sqlAsset({ name: 'parents', partitions: day, query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, unnest(['a', 'b']) AS id` });
  const children = sqlAsset({
    name: 'children',
    partitions: day,
    deps: { parents },
    checks: [relationships('parent_id', parents, 'id')],
    query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, unnest(${ids}) AS parent_id`,
  });
  return [parents, children] as const;
}

test('relationships passes when every value has a match in the other asset\'s partition', async (t) => {
  const result = await tempWarehouse(t).run([...family(['a', 'b', 'a'])]);
  assert.equal(result.assets[1]?.checks[0]?.passed, true);
});

test('relationships fails on values missing from the other asset\'s partition', async (t) => {
  const result = await tempWarehouse(t).run([...family(['a', 'z'])]);
  const [check] = result.assets[1]?.checks ?? [];
  assert.deepEqual({ passed: check?.passed, sample: check?.sample.map((row) => row.parent_id) }, { passed: false, sample: ['z'] });
});

test('a check reading an asset that is not upstream fails the asset, naming both', async (t) => {
  const parents = sqlAsset({ name: 'parents', query: () => sql`SELECT unnest(['a', 'b']) AS id` });
  const orphans = sqlAsset({ name: 'orphans', checks: [relationships('parent_id', parents, 'id')], query: () => sql`SELECT 'a' AS parent_id` });
  const result = await tempWarehouse(t).run([parents, orphans]);
  const outcome = result.assets.find((asset) => asset.asset === 'orphans');
  assert.equal(outcome?.status, 'failed');
  assert.match(outcome?.error ?? '', /check relationships_parent_id_parents on orphans could not run: it reads parents, which is not upstream of orphans/);
});

test('a check may read an asset upstream of a direct dependency', async (t) => {
  const parents = sqlAsset({ name: 'parents', query: () => sql`SELECT unnest(['a', 'b']) AS id` });
  const middle = sqlAsset({ name: 'middle', deps: { parents }, query: ({ parents }) => sql`SELECT id AS parent_id FROM ${parents}` });
  const children = sqlAsset({ name: 'children', deps: { middle }, checks: [relationships('parent_id', parents, 'id')], query: ({ middle }) => sql`SELECT * FROM ${middle}` });
  const result = await tempWarehouse(t).run([parents, middle, children]);
  assert.equal(result.assets[2]?.checks[0]?.passed, true);
});

test('a check naming a column the table lacks fails the asset, naming the column and the table\'s columns', async (t) => {
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run([items(clean, unique('idd'))]);
  assert.equal(result.assets[0]?.status, 'failed');
  assert.match(result.assets[0]?.error ?? '', /check unique_idd on items names column idd, which items does not have \(columns: day, id, price, currency, seen_at\)/);
  assert.equal(result.assets[0]?.attempts, 1);
});

test('checks with the same name on one asset are a definition error', () => {
  assert.throws(() => sqlAsset({ name: 'twice', checks: [unique('id'), unique('id')], query: () => sql`SELECT 1 AS id` }), {
    code: 'DUCKDAG_CHECK_INVALID',
    message: /asset twice: check "unique_id" is declared twice/,
  });
});

test('a threshold share outside 0–1 is a definition error naming the check', () => {
  assert.throws(() => sqlAsset({ name: 'shares', checks: [notNull('id', { maxFailingShare: 2 })], query: () => sql`SELECT 1 AS id` }), {
    code: 'DUCKDAG_CHECK_INVALID',
    message: /asset shares: check "not_null_id": maxFailingShare must be a number from 0 to 1/,
  });
});

/** source → middle (checked) → leaf, where middle's rows are `bad` or clean. */
function chain(severity: 'error' | 'warn', state: { bad: boolean }) {
  const source = sqlAsset({ name: 'source', query: () => sql`SELECT range AS n FROM range(4)` });
  const middle = sqlAsset({
    name: 'middle',
    deps: { source },
    checks: [sqlCheck({ name: 'n_small', severity, query: (rows) => sql`SELECT * FROM ${rows} WHERE n > 10` })],
    query: ({ source }) => sql`SELECT n + ${state.bad ? 100 : 0} AS n FROM ${source}`,
  });
  const leaf = valueAsset({ name: 'leaf', deps: { middle }, compute: async ({ middle }, ctx) => (await ctx.query<{ n: number }>(sql`SELECT max(n) AS n FROM ${middle}`))[0]?.n ?? null });
  const after = valueAsset({ name: 'after', deps: { leaf }, compute: ({ leaf }) => leaf });
  return [source, middle, leaf, after] as const;
}

test('a failing error check holds the asset back and its downstream is not run, with the check as the reason', async (t) => {
  const result = await tempWarehouse(t).run([...chain('error', { bad: true })]);
  assert.deepEqual(statuses(result), { source: 'materialized', middle: 'check_failed', leaf: 'upstream_failed', after: 'upstream_failed' });
  assert.equal(result.status, 'failed');
  for (const name of ['leaf', 'after']) assert.equal(result.assets.find((asset) => asset.asset === name)?.reason, 'check n_small on middle failed');
});

test('a failing error check keeps the asset\'s previous data and stores none of the new rows', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { bad: false };
  await warehouse.run([...chain('error', state)]);
  state.bad = true;
  await warehouse.run([...chain('error', state)]);
  assert.deepEqual(await warehouse.query('SELECT max(n) AS n FROM middle'), [{ n: 3 }]);
  assert.deepEqual(await warehouse.query(`SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values WHERE asset = 'leaf'`), [{ value: '3' }]);
});

test('a blocked asset and its downstream are recorded in the history with the check as the reason', async (t) => {
  const warehouse = tempWarehouse(t);
  await warehouse.run([...chain('error', { bad: true })]);
  assert.deepEqual(await warehouse.query(`SELECT asset, status, reason FROM duckdag.materializations WHERE asset <> 'source' ORDER BY asset`), [
    { asset: 'after', status: 'upstream_failed', reason: 'check n_small on middle failed' },
    { asset: 'leaf', status: 'upstream_failed', reason: 'check n_small on middle failed' },
    { asset: 'middle', status: 'check_failed', reason: 'check n_small on middle failed; its new rows were not stored, the previous data stays' },
  ]);
});

test('check results are recorded with severity, counts and a sample of failing rows', async (t) => {
  const warehouse = tempWarehouse(t);
  await warehouse.run([...chain('error', { bad: true })]);
  const rows = await warehouse.query(
    `SELECT check_name, asset, severity, passed, failing_count, checked_rows, allowed_failing, CAST(failing_sample AS VARCHAR) AS sample FROM duckdag.check_results`,
  );
  assert.deepEqual(rows, [
    { check_name: 'n_small', asset: 'middle', severity: 'error', passed: false, failing_count: 4, checked_rows: 4, allowed_failing: 0, sample: '[{"n":100},{"n":101},{"n":102},{"n":103}]' },
  ]);
});

test('a failing warn check is recorded but the asset is stored and its downstream runs', async (t) => {
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run([...chain('warn', { bad: true })]);
  assert.deepEqual(statuses(result), { source: 'materialized', middle: 'materialized', leaf: 'materialized', after: 'materialized' });
  assert.equal(result.status, 'succeeded');
  assert.equal(result.assets[1]?.checks[0]?.passed, false);
  assert.deepEqual(await warehouse.query(`SELECT passed, severity FROM duckdag.check_results`), [{ passed: false, severity: 'warn' }]);
});

test('passing checks are recorded with the materialization', async (t) => {
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run([...chain('error', { bad: false })]);
  assert.equal(result.status, 'succeeded');
  assert.deepEqual(await warehouse.query(`SELECT check_name, passed, failing_count FROM duckdag.check_results`), [{ check_name: 'n_small', passed: true, failing_count: 0 }]);
});

test('a check whose query fails fails the asset, naming the check, and stores nothing', async (t) => {
  const warehouse = tempWarehouse(t);
  const broken = sqlAsset({ name: 'broken', checks: [sqlCheck({ name: 'bad_sql', query: (rows) => sql`SELECT nope FROM ${rows}` })], query: () => sql`SELECT 1 AS n` });
  const result = await warehouse.run([broken]);
  assert.equal(result.assets[0]?.status, 'failed');
  assert.match(result.assets[0]?.error ?? '', /check bad_sql on broken could not run: .*nope/);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'broken'`), [{ n: 0 }]);
});

/** `counted` (n = 0…4) checked against a limit the resources set. */
function limited() {
  const limit = resource<number>('the largest n allowed');
  const counted = sqlAsset({
    name: 'counted',
    resources: { limit },
    checks: [sqlCheck<{ readonly limit: number }>({ name: 'n_within_limit', query: (rows, ctx) => sql`SELECT * FROM ${rows} WHERE n > ${ctx.resources.limit}` })],
    query: () => sql`SELECT range AS n FROM range(5)`,
  });
  return counted;
}

async function checkStored(path: string, assets: readonly AnyAssetsDefinition[], resources: Record<string, unknown>): Promise<CheckRunResult> {
  const warehouse = await Warehouse.open({ path, access: 'read_write', lockTimeoutMs: 5000, command: 'test' });
  try {
    const store = await DuckdbAssetStore.open(warehouse, new AssetKinds());
    return await checkStoredAssets(AssetGraph.build(assets), store, { select: '*', partitionKey: '2026-11-24' }, { resources });
  } finally {
    warehouse.close();
  }
}

test('checks on stored rows run the checks again and record them without materializing anything', async (t) => {
  const warehouse = tempWarehouse(t);
  const counted = limited();
  assert.equal((await warehouse.run([counted], { resources: { limit: 10 } })).status, 'succeeded');
  const result = await checkStored(warehouse.path, [counted], { limit: 2 });
  assert.equal(result.status, 'failed');
  assert.deepEqual(result.assets[0]?.checks.map((check) => [check.check, check.passed, check.failingCount]), [['n_within_limit', false, 2]]);
  assert.deepEqual(await warehouse.query(`SELECT passed FROM duckdag.check_results ORDER BY checked_at`), [{ passed: true }, { passed: false }]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM duckdag.materializations`), [{ n: 1 }]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM counted`), [{ n: 5 }]);
});

test('checks on stored rows refuse an asset with nothing stored, before anything runs', async (t) => {
  const warehouse = tempWarehouse(t);
  await warehouse.run([sqlAsset({ name: 'other', query: () => sql`SELECT 1 AS n` })]);
  await assert.rejects(checkStored(warehouse.path, [limited()], { limit: 2 }), { code: 'DUCKDAG_NOTHING_TO_CHECK', message: /asset counted has no materialization to check/ });
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM duckdag.runs`), [{ n: 1 }]);
});
