/**
 * Unpartitioned SQL assets share one transaction (storage/deferred-commits.ts): each stays atomic
 * with its history row, a failing one costs the others nothing, and what they wrote becomes visible
 * to other connections only at the shared commit, all together.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { unique } from '../core/kernel/built-in-checks.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import { AssetTransaction } from '../storage/asset-transaction.ts';
import { DeferredCommits } from '../storage/deferred-commits.ts';
import { readRows } from '../storage/read-rows.ts';
import type { MaterializationRecord } from '../storage/run-history.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { tempDir } from './support/temp-dir.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

test('a failing SQL asset in the shared transaction keeps the assets before and after it, each with its table and history row', async (t) => {
  const warehouse = tempWarehouse(t);
  const a = sqlAsset({ name: 'a_first', query: () => sql`SELECT 1 AS n` });
  const b = sqlAsset({ name: 'b_second', deps: { a }, query: ({ a }) => sql`SELECT n + 1 AS n FROM ${a}` });
  const c = sqlAsset({ name: 'c_broken', deps: { b }, query: ({ b }) => sql`SELECT CAST('not a number' AS INTEGER) AS n FROM ${b}` });
  const d = sqlAsset({ name: 'd_after', deps: { a }, query: ({ a }) => sql`SELECT n + 10 AS n FROM ${a}` });
  const result = await warehouse.run([a, b, c, d], { concurrency: 1 });
  assert.deepEqual(statuses(result), { a_first: 'materialized', b_second: 'materialized', c_broken: 'failed', d_after: 'materialized' });
  assert.deepEqual(await warehouse.query('SELECT (SELECT n FROM a_first) AS a, (SELECT n FROM b_second) AS b, (SELECT n FROM d_after) AS d'), [{ a: 1, b: 2, d: 11 }]);
  assert.deepEqual(await warehouse.query(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'c_broken'`), []);
  assert.deepEqual(await warehouse.query('SELECT asset, status, row_count FROM duckdag.materializations ORDER BY asset'), [
    { asset: 'a_first', status: 'materialized', row_count: 1 },
    { asset: 'b_second', status: 'materialized', row_count: 1 },
    { asset: 'c_broken', status: 'failed', row_count: null },
    { asset: 'd_after', status: 'materialized', row_count: 1 },
  ]);
});

test('a SQL asset in the shared transaction stopped by a blocking check keeps its previous rows, and the others their new ones', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { duplicate: false };
  const a = sqlAsset({ name: 'a_first', query: () => sql`SELECT ${state.duplicate ? 2 : 1} AS n` });
  const b = sqlAsset({
    name: 'b_checked',
    deps: { a },
    checks: [unique('id')],
    query: ({ a }) => (state.duplicate ? sql`SELECT 7 AS id FROM range(2), ${a}` : sql`SELECT n AS id FROM ${a}`),
  });
  const c = sqlAsset({ name: 'c_after', deps: { a }, query: ({ a }) => sql`SELECT n + 10 AS n FROM ${a}` });
  await warehouse.run([a, b, c], { concurrency: 1 });
  state.duplicate = true;
  const result = await warehouse.run([a, b, c], { concurrency: 1 });
  assert.deepEqual(statuses(result), { a_first: 'materialized', b_checked: 'check_failed', c_after: 'materialized' });
  assert.deepEqual(await warehouse.query('SELECT (SELECT n FROM a_first) AS a, (SELECT list(id) FROM b_checked) AS b, (SELECT n FROM c_after) AS c'), [
    { a: 2, b: [1], c: 12 },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT check_name, passed FROM duckdag.check_results WHERE asset = 'b_checked' ORDER BY checked_at`), [
    { check_name: 'unique_id', passed: true },
    { check_name: 'unique_id', passed: false },
  ]);
});

test('what attempts in the shared transaction wrote, tables and history rows, becomes visible to other connections at its commit, all at once', async (t) => {
  const warehouse = await Warehouse.open({ path: join(tempDir(t), 'warehouse.duckdb'), access: 'read_write', lockTimeoutMs: 1000, command: 'test' });
  t.after(() => warehouse.close());
  const commits = new DeferredCommits(await warehouse.connect(), 60_000);
  const observer = await warehouse.connect();
  const visible = async () =>
    readRows<{ tables: number; rows: number }>(
      observer,
      `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('first', 'second')) AS tables, (SELECT count(*) FROM duckdag.materializations) AS rows`,
    );
  for (const name of ['first', 'second']) {
    const attempt = commits.join([])!;
    await AssetTransaction.sharing(attempt, new AbortController().signal).run(`CREATE TABLE ${name} AS SELECT 1 AS n`);
    attempt.done(null, [historyRow(name)]);
  }
  assert.deepEqual(await visible(), [{ tables: 0, rows: 0 }]);
  await commits.commit();
  assert.deepEqual(await visible(), [{ tables: 2, rows: 2 }]);
});

test('an attempt runs beside the shared transaction, not in it, when another holds it and none of its upstream is pending', async (t) => {
  const warehouse = await Warehouse.open({ path: join(tempDir(t), 'warehouse.duckdb'), access: 'read_write', lockTimeoutMs: 1000, command: 'test' });
  t.after(() => warehouse.close());
  const commits = new DeferredCommits(await warehouse.connect(), 60_000);
  const first = commits.join([])!;
  await AssetTransaction.sharing(first, new AbortController().signal).run('CREATE TABLE first AS SELECT 1 AS n');
  assert.equal(commits.join(['elsewhere']), null);
  first.done(null, [historyRow('first')]);
  const after = commits.join(['first']);
  assert.notEqual(after, null);
  assert.notEqual(commits.join(['first']), null, 'an asset reading a pending one waits for the shared transaction rather than for its commit');
});

function historyRow(asset: string): MaterializationRecord {
  const now = new Date();
  return {
    runId: 'test',
    asset,
    partitionKey: null,
    status: MaterializationStatus.materialized,
    rowCount: 1,
    startedAt: now,
    finishedAt: now,
    attempts: 1,
    error: null,
    reason: null,
    metadata: {},
    codeVersion: null,
    upstream: [],
  };
}
