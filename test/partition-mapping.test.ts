import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { previousPartition } from '../core/kernel/partition-mapping.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { holdingKey } from '../core/runtime/asset-store.ts';
import { planRun } from '../core/runtime/run-plan.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

const daily = dailyPartitions('day');
const counts = sqlAsset({
  name: 'counts',
  partitions: daily,
  query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(CAST(${Number(ctx.partitionKey?.slice(-2)) - 20} AS BIGINT))`,
});
const growth = valueAsset({
  name: 'growth',
  partitions: daily,
  deps: { today: counts, yesterday: previousPartition(counts) },
  compute: async ({ today, yesterday }, ctx) => {
    const count = async (from: typeof today) => (await ctx.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${from.partition}`))[0]?.n ?? 0;
    return { today: await count(today), yesterday: yesterday === null ? null : await count(yesterday) };
  },
});

test('another partition of an upstream is planned as a read of the warehouse at that partition', () => {
  const graph = AssetGraph.build([counts, growth]);
  const held = new Set([holdingKey({ asset: 'counts', partitionKey: '2026-11-23' })]);
  const plan = planRun(graph, { select: '*', partitionKey: '2026-11-24' }, held);
  assert.deepEqual(plan.steps[1]?.reads, [
    { asset: 'counts', partitionKey: '2026-11-24', input: 'today', partitionOffset: 0, source: 'run' },
    { asset: 'counts', partitionKey: '2026-11-23', input: 'yesterday', partitionOffset: -1, source: 'warehouse' },
  ]);
});

test('a previous partition the warehouse does not hold is planned as missing, not as an error', () => {
  const plan = planRun(AssetGraph.build([counts, growth]), { select: '*', partitionKey: '2026-11-24' }, new Set());
  assert.equal(plan.steps[1]?.reads[1]?.source, 'missing');
});

test('an asset reads the previous day of its upstream, and null on the first day', async (t) => {
  const warehouse = tempWarehouse(t);
  await warehouse.run([counts, growth], { partitionKey: '2026-11-23' });
  await warehouse.run([counts, growth], { partitionKey: '2026-11-24' });
  assert.deepEqual(await warehouse.query(`SELECT partition_key, CAST(value AS VARCHAR) AS value FROM duckdag.asset_values ORDER BY partition_key`), [
    { partition_key: '2026-11-23', value: '{"today":3,"yesterday":null}' },
    { partition_key: '2026-11-24', value: '{"today":4,"yesterday":3}' },
  ]);
});

test('an empty previous partition skips nothing', async (t) => {
  const warehouse = tempWarehouse(t);
  const empty = await warehouse.run([counts, growth], { partitionKey: '2026-11-20', select: 'counts' });
  assert.equal(empty.assets[0]?.rowCount, 0);
  const result = await warehouse.run([counts, growth], { partitionKey: '2026-11-21' });
  assert.deepEqual(statuses(result), { counts: 'materialized', growth: 'materialized' });
});

test('reading another partition of an unpartitioned asset is a definition error', () => {
  const flat = sqlAsset({ name: 'flat', query: () => sql`SELECT 1 AS n` });
  assert.throws(() => valueAsset({ name: 'bad', partitions: daily, deps: { before: previousPartition(flat) }, compute: () => 1 }), {
    code: 'DUCKDAG_PARTITION_MAPPING_INVALID',
    message: 'asset bad: dependency "before" reads another partition of flat, so both must be partitioned by day',
  });
});
