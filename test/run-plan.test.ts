import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { holdingKey } from '../core/runtime/asset-store.ts';
import { planRun, warehouseReads } from '../core/runtime/run-plan.ts';

const daily = dailyPartitions('day');
const lookup = sqlAsset({ name: 'lookup', query: () => sql`SELECT 1 AS id` });
const events = sqlAsset({ name: 'events', partitions: daily, query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day` });
const joined = sqlAsset({ name: 'joined', deps: { events, lookup }, partitions: daily, query: ({ events }) => sql`SELECT * FROM ${events.partition}` });
const report = valueAsset({ name: 'report', deps: { rows: joined }, partitions: daily, compute: () => 'ok' });
const graph = AssetGraph.build([lookup, events, joined, report]);
const request = { select: 'joined+', partitionKey: '2026-11-24' };

test('a plan lists the selected assets upstream first, each with what it reads and from where', () => {
  const held = new Set([holdingKey({ asset: 'events', partitionKey: '2026-11-24' }), holdingKey({ asset: 'lookup', partitionKey: null })]);
  const plan = planRun(graph, request, held);
  assert.deepEqual(
    plan.steps.map((step) => [step.asset, step.kind, step.partitionKey, step.reads.map((read) => `${read.input}=${read.asset}@${read.partitionKey ?? '-'}:${read.source}`)]),
    [
      ['joined', 'table', '2026-11-24', ['events=events@2026-11-24:warehouse', 'lookup=lookup@-:warehouse']],
      ['report', 'value', '2026-11-24', ['rows=joined@2026-11-24:run']],
    ],
  );
});

test('the warehouse reads of a selection are its unselected upstream partitions, unpartitioned ones without a key', () => {
  assert.deepEqual(warehouseReads(graph, request), [
    { asset: 'events', partitionKey: '2026-11-24' },
    { asset: 'lookup', partitionKey: null },
  ]);
  assert.deepEqual(warehouseReads(graph, { select: '*', partitionKey: '2026-11-24' }), []);
});

test('planning names every upstream the warehouse lacks, before anything runs', () => {
  assert.throws(() => planRun(graph, request, new Set()), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'DUCKDAG_UPSTREAM_MISSING');
    assert.match(error.message, /asset joined: upstream events is not selected and has no materialization for partition 2026-11-24/);
    assert.match(error.message, /asset joined: upstream lookup is not selected and has no materialization in the warehouse/);
    return true;
  });
});

test('a plan is plain data: it survives a JSON round trip unchanged', () => {
  const plan = planRun(graph, { select: '*', partitionKey: '2026-11-24' }, new Set());
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
});
