import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { duckdagVersion } from '../core/kernel/duckdag-version.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { materializeAssets } from '../core/testing.ts';
import { historyMigrations } from '../storage/history-migrations.ts';
import { readRows } from '../storage/read-rows.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { fixtureProject, repoRoot } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';
import { tempDir } from './support/temp-dir.ts';

/** The 0.1.0 warehouse of test/fixtures, copied into a temp folder. */
function legacyWarehouse(t: TestContext): string {
  const path = join(tempDir(t), 'warehouse.duckdb');
  writeFileSync(path, gunzipSync(readFileSync(join(repoRoot, 'test/fixtures/warehouse-0.1.0.duckdb.gz'))));
  return path;
}

async function query<Row = Record<string, unknown>>(path: string, statement: string): Promise<Row[]> {
  const warehouse = await Warehouse.open({ path, access: 'read_only', lockTimeoutMs: 5000, command: 'test' });
  try {
    return await readRows<Row>(await warehouse.connect(), statement);
  } finally {
    warehouse.close();
  }
}

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('a warehouse written by duckdag 0.1.0 opens with its data and history intact, upgraded to the latest schema', async (t) => {
  const path = legacyWarehouse(t);
  assert.deepEqual(await query(path, 'SELECT day::VARCHAR AS day, count(*) AS n FROM numbers GROUP BY day ORDER BY day'), [
    { day: '2026-11-23', n: 10 },
    { day: '2026-11-24', n: 10 },
  ]);
  assert.deepEqual(await query(path, 'SELECT count(*) AS n FROM big'), [{ n: 8 }]);
  assert.deepEqual(await query(path, `SELECT partition_key, CAST(value AS VARCHAR) AS value FROM duckdag.asset_values ORDER BY partition_key`), [
    { partition_key: '2026-11-23', value: '{"count":4}' },
    { partition_key: '2026-11-24', value: '{"count":4}' },
  ]);
  assert.deepEqual(await query(path, 'SELECT status, count(*) AS n FROM duckdag.materializations GROUP BY status ORDER BY status'), [
    { status: 'failed', n: 1 },
    { status: 'materialized', n: 7 },
  ]);
  assert.deepEqual(await query(path, 'SELECT status, duckdag_version FROM duckdag.runs ORDER BY started_at'), [
    { status: 'succeeded', duckdag_version: null },
    { status: 'failed', duckdag_version: null },
  ]);
  assert.deepEqual(
    await query(path, 'SELECT version, name, duckdag_version FROM duckdag.migrations ORDER BY version'),
    historyMigrations.map((migration) => ({ version: migration.version, name: migration.name, duckdag_version: duckdagVersion })),
  );
});

test('new runs go on in an upgraded 0.1.0 warehouse, reading what it stored', async (t) => {
  const path = legacyWarehouse(t);
  const daily = dailyPartitions('day');
  const numbers = tableAsset({ name: 'numbers', partitions: daily, materialize: async (_, ctx) => ctx.output.createAs(sql`SELECT 1`) });
  const big = sqlAsset({ name: 'big', deps: { numbers }, partitions: daily, query: ({ numbers }) => sql`SELECT * FROM ${numbers.partition} WHERE n > 5` });
  const total = valueAsset({ name: 'total', deps: { big }, partitions: daily, compute: async ({ big }, ctx) => (await ctx.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${big.partition}`))[0] });
  const result = await materializeAssets([numbers, big, total], { warehouse: path, select: 'total', partitionKey: '2026-11-23' });
  assert.equal(result.status, 'succeeded');
  assert.deepEqual(await query(path, `SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values WHERE asset = 'total'`), [{ value: '{"n":4}' }]);
  assert.deepEqual(await query(path, `SELECT count(*) AS n FROM duckdag.runs WHERE duckdag_version = '${duckdagVersion}'`), [{ n: 1 }]);
});

test('migrations are applied once: opening an up-to-date warehouse records nothing new', async (t) => {
  const path = legacyWarehouse(t);
  for (let open = 0; open < 3; open += 1) (await Warehouse.open({ path, access: 'read_write', lockTimeoutMs: 5000, command: 'test' })).close();
  assert.deepEqual(await query(path, 'SELECT count(*) AS n FROM duckdag.migrations'), [{ n: historyMigrations.length }]);
});

test('a warehouse written by a newer duckdag is refused with exit 2, naming both versions, and left unchanged', async (t) => {
  const project = fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig });
  const first = await project.run(['materialize', '--select', 'numbers', '-p', '2026-11-24']);
  assert.equal(first.code, 0, first.stderr);
  const path = join(project.dir, 'data/warehouse.duckdb');
  const warehouse = await Warehouse.open({ path, access: 'read_write', lockTimeoutMs: 5000, command: 'test' });
  const connection = await warehouse.connect();
  await connection.run(`INSERT INTO duckdag.migrations VALUES (99, 'from the future', now(), '9.1.0')`);
  warehouse.close();
  const before = fileHash(path);
  for (const args of [['materialize', '-p', '2026-11-24'], ['status']]) {
    const run = await project.run(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`written by duckdag 9\\.1\\.0 \\(history schema version 99\\); this is duckdag ${duckdagVersion.replaceAll('.', '\\.')}`));
    assert.equal(fileHash(path), before);
  }
});
