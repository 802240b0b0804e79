import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { sql } from '../core/kernel/sql.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { tempWarehouse } from './support/temp-warehouse.ts';

const documents = tableAsset({
  name: 'documents',
  materialize: (_, ctx) =>
    ctx.output.createAs(sql`SELECT '{"n": ' || range || '}' AS body, range AS n FROM range(3)`, {
      n: 'BIGINT',
      body: 'JSON USING COMPRESSION zstd',
      note: 'VARCHAR',
    }),
});

test('createAs with columns makes the table with those columns and inserts the rows by name', async (t) => {
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run([documents]);
  assert.equal(result.assets[0]?.status, 'materialized', result.assets[0]?.error ?? '');
  assert.equal(result.assets[0]?.rowCount, 3);
  assert.deepEqual(
    await warehouse.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'documents' ORDER BY ordinal_position`),
    [
      { column_name: 'n', data_type: 'BIGINT' },
      { column_name: 'body', data_type: 'JSON' },
      { column_name: 'note', data_type: 'VARCHAR' },
    ],
  );
  assert.deepEqual(await warehouse.query('SELECT n, CAST(body AS VARCHAR) AS body, note FROM documents ORDER BY n'), [
    { n: 0, body: '{"n": 0}', note: null },
    { n: 1, body: '{"n": 1}', note: null },
    { n: 2, body: '{"n": 2}', note: null },
  ]);
});

test("a column created with USING COMPRESSION zstd is stored with zstd in the warehouse's format", async (t) => {
  const warehouse = tempWarehouse(t);
  await warehouse.run([documents]);
  const segments = await warehouse.query<{ compression: string }>(
    `SELECT DISTINCT compression FROM pragma_storage_info('documents') WHERE column_name = 'body' AND segment_type <> 'VALIDITY'`,
  );
  assert.deepEqual(segments, [{ compression: 'ZSTD' }]);
});

test('createAs with columns records the query in the metadata, as createAs does', async (t) => {
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run([documents]);
  assert.match(String(result.assets[0]?.metadata.query), /SELECT '\{"n": ' \|\| range/);
});

test('a partitioned table whose new day brings a column keeps the column options createAs gave the new rows', async (t) => {
  const warehouse = tempWarehouse(t);
  const state = { body: false };
  const daily = tableAsset({
    name: 'daily',
    partitions: dailyPartitions('day'),
    materialize: (_, ctx) =>
      state.body
        ? ctx.output.createAs(sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, 1 AS n, '{}' AS body`, { day: 'DATE', n: 'INTEGER', body: 'JSON USING COMPRESSION zstd' })
        : ctx.output.createAs(sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, 1 AS n`),
  });
  await warehouse.run([daily], { partitionKey: '2026-11-23' });
  state.body = true;
  await warehouse.run([daily], { partitionKey: '2026-11-24' });
  assert.deepEqual(await warehouse.query(`SELECT CAST(day AS VARCHAR) AS day, n, CAST(body AS VARCHAR) AS body FROM daily ORDER BY day`), [
    { day: '2026-11-23', n: 1, body: null },
    { day: '2026-11-24', n: 1, body: '{}' },
  ]);
  assert.deepEqual(
    await warehouse.query(`SELECT DISTINCT compression FROM pragma_storage_info('daily') WHERE column_name = 'body' AND segment_type <> 'VALIDITY'`),
    [{ compression: 'ZSTD' }],
  );
});
