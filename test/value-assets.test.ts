import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { readRows } from '../storage/read-rows.ts';
import { valuesReplace } from '../storage/value-store.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { tempDir } from './support/temp-dir.ts';
import { tempWarehouse } from './support/temp-warehouse.ts';

test('a value asset stores its JSON value per partition in duckdag.asset_values', async (t) => {
  const warehouse = tempWarehouse(t);
  const report = valueAsset({ name: 'report', partitions: dailyPartitions('day'), compute: (_, ctx) => ({ day: ctx.partitionKey, items: [1, 2] }) });
  await warehouse.run([report], { partitionKey: '2026-11-23' });
  await warehouse.run([report], { partitionKey: '2026-11-24' });
  assert.deepEqual(
    await warehouse.query(`SELECT partition_key, CAST(value AS VARCHAR) AS value FROM duckdag.asset_values ORDER BY partition_key`),
    [
      { partition_key: '2026-11-23', value: '{"day":"2026-11-23","items":[1,2]}' },
      { partition_key: '2026-11-24', value: '{"day":"2026-11-24","items":[1,2]}' },
    ],
  );
});

test('a value larger than 48 KB is stored and handed downstream whole', async (t) => {
  const warehouse = tempWarehouse(t);
  const big = valueAsset({ name: 'big', compute: () => 'x'.repeat(200_000) });
  const size = valueAsset({ name: 'size', deps: { big }, compute: ({ big }) => big.length });
  const result = await warehouse.run([big, size]);
  assert.equal(result.assets[0]?.metadata.value_bytes, 200_002);
  assert.deepEqual(await warehouse.query(`SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values WHERE asset = 'size'`), [{ value: '200000' }]);
});

test('previousValue is null on the first run and the stored value on the next', async (t) => {
  const warehouse = tempWarehouse(t);
  const seen: unknown[] = [];
  const counter = valueAsset({
    name: 'counter',
    partitions: dailyPartitions('day'),
    compute: async (_, ctx) => {
      const previous = await ctx.previousValue();
      seen.push(previous);
      return (Number(previous) || 0) + 1;
    },
  });
  await warehouse.run([counter]);
  await warehouse.run([counter]);
  await warehouse.run([counter], { partitionKey: '2026-11-25' });
  assert.deepEqual(seen, [null, 1, null]);
});

test('a value that cannot be serialised to JSON fails the asset and stores nothing', async (t) => {
  const warehouse = tempWarehouse(t);
  const cyclic = valueAsset({
    name: 'cyclic',
    compute: () => {
      const value: Record<string, unknown> = {};
      value.self = value;
      return value;
    },
  });
  const result = await warehouse.run([cyclic]);
  assert.equal(result.assets[0]?.status, 'failed');
  assert.match(result.assets[0]?.error ?? '', /asset cyclic returned a value that is not JSON-serialisable/);
  assert.deepEqual(await warehouse.query('SELECT * FROM duckdag.asset_values'), []);
});

test('the force flag reaches the asset', async (t) => {
  const warehouse = tempWarehouse(t);
  const flags: boolean[] = [];
  const probe = valueAsset({ name: 'probe', compute: (_, ctx) => (flags.push(ctx.force), 1) });
  await warehouse.run([probe]);
  await warehouse.run([probe], { force: true });
  assert.deepEqual(flags, [false, true]);
});

test('values replaced together keep one value per asset partition: the later one', async (t) => {
  const warehouse = await Warehouse.open({ path: join(tempDir(t), 'warehouse.duckdb'), access: 'read_write', lockTimeoutMs: 1000, command: 'test' });
  t.after(() => warehouse.close());
  const connection = await warehouse.connect();
  const value = (asset: string, partitionKey: string | null, valueJson: string) => ({ asset, partitionKey, valueJson, runId: 'test' });
  await connection.run(valuesReplace([value('report', null, '1'), value('report', '2026-11-24', '2')]).text);
  await connection.run(valuesReplace([value('report', null, '3'), value('other', null, '4'), value('report', null, '5')]).text);
  assert.deepEqual(
    await readRows(connection, `SELECT asset, partition_key, CAST(value AS VARCHAR) AS value FROM duckdag.asset_values ORDER BY asset, partition_key NULLS FIRST`),
    [
      { asset: 'other', partition_key: null, value: '4' },
      { asset: 'report', partition_key: null, value: '5' },
      { asset: 'report', partition_key: '2026-11-24', value: '2' },
    ],
  );
});
