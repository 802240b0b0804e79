import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { resolveSchedules, type ScheduleSpec } from '../core/kernel/schedule-definition.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { dueTicks, nextTickAt } from '../core/runtime/schedule-ticks.ts';

const sales = sqlAsset({ name: 'sales', partitions: dailyPartitions('day'), query: (_, ctx) => sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day` });
const graph = AssetGraph.build([sales]);

function schedule(spec: Partial<ScheduleSpec> = {}) {
  return resolveSchedules([{ name: 'daily', cron: '0 12 * * *', ...spec }], graph, 'config')[0]!;
}

function due(spec: Partial<ScheduleSpec>, last: string | null, now: string) {
  const result = dueTicks(schedule(spec), last === null ? null : new Date(last), new Date(now));
  return { ticks: result.ticks.map((tick) => `${tick.tickAt.toISOString()} ${tick.partitionKey}`), passedOver: result.passedOver };
}

test('a schedule that never ticked has its newest past tick due', () => {
  assert.deepEqual(due({}, null, '2026-11-24T09:00:00Z'), { ticks: ['2026-11-23T12:00:00.000Z 2026-11-23'], passedOver: 0 });
});

test('a tick at exactly the time of evaluation is due', () => {
  assert.deepEqual(due({}, '2026-11-23T12:00:00Z', '2026-11-24T12:00:00Z').ticks, ['2026-11-24T12:00:00.000Z 2026-11-24']);
});

test('nothing is due before the tick after the last recorded one', () => {
  assert.deepEqual(due({}, '2026-11-24T12:00:00Z', '2026-11-25T11:59:59Z'), { ticks: [], passedOver: 0 });
});

test('after three days down, catch-up latest runs only the newest missed tick and counts the others', () => {
  assert.deepEqual(due({}, '2026-11-20T12:00:00Z', '2026-11-23T18:00:00Z'), {
    ticks: ['2026-11-23T12:00:00.000Z 2026-11-23'],
    passedOver: 2,
  });
});

test('catch-up all runs the missed ticks oldest first, at most catchupLimit of the newest', () => {
  assert.deepEqual(due({ catchup: 'all', catchupLimit: 3 }, '2026-11-15T12:00:00Z', '2026-11-23T18:00:00Z'), {
    ticks: ['2026-11-21T12:00:00.000Z 2026-11-21', '2026-11-22T12:00:00.000Z 2026-11-22', '2026-11-23T12:00:00.000Z 2026-11-23'],
    passedOver: 5,
  });
});

test('catch-up all is bounded at 5 ticks by default', () => {
  assert.equal(due({ catchup: 'all' }, '2026-10-01T12:00:00Z', '2026-11-23T18:00:00Z').ticks.length, 5);
});

test("a tick runs the partition of its date in the schedule's timezone, across midnight UTC", () => {
  // 22:30 in Buenos Aires (UTC-3) is 01:30 UTC the next day: the partition is the local date.
  assert.deepEqual(due({ cron: '30 22 * * *', timezone: 'America/Argentina/Buenos_Aires' }, null, '2026-11-25T02:00:00Z').ticks, [
    '2026-11-25T01:30:00.000Z 2026-11-24',
  ]);
});

test('partition previous_day runs the day before the tick', () => {
  assert.deepEqual(due({ cron: '0 1 * * *', partition: 'previous_day' }, null, '2026-11-25T02:00:00Z').ticks, ['2026-11-25T01:00:00.000Z 2026-11-24']);
});

test('a tick in the hour skipped by the spring DST change runs once, right after it, for that day', () => {
  // Europe/Berlin skips 02:00-03:00 on 2026-03-29: the 02:30 tick runs at 03:00 CEST (01:00 UTC).
  const berlin = { cron: '30 2 * * *', timezone: 'Europe/Berlin', catchup: 'all' as const };
  assert.deepEqual(due(berlin, '2026-03-28T01:30:00Z', '2026-03-30T12:00:00Z').ticks, [
    '2026-03-29T01:00:00.000Z 2026-03-29',
    '2026-03-30T00:30:00.000Z 2026-03-30',
  ]);
});

test('a tick in the hour repeated by the autumn DST change runs once', () => {
  // New York repeats 01:00-02:00 on 2026-11-01: the 01:30 tick runs at the first 01:30 (EDT) only.
  const newYork = { cron: '30 1 * * *', timezone: 'America/New_York', catchup: 'all' as const };
  assert.deepEqual(due(newYork, '2026-10-31T05:30:00Z', '2026-11-02T12:00:00Z').ticks, [
    '2026-11-01T05:30:00.000Z 2026-11-01',
    '2026-11-02T06:30:00.000Z 2026-11-02',
  ]);
});

test('a six-field cron ticks every second', () => {
  const everySecond = schedule({ cron: '* * * * * *' });
  assert.equal(nextTickAt(everySecond, new Date('2026-11-24T12:00:00.400Z'))?.toISOString(), '2026-11-24T12:00:01.000Z');
});

test('schedule defaults: UTC, every asset, the tick day, catch-up latest', () => {
  const resolved = schedule();
  assert.deepEqual(
    [resolved.timezone, resolved.select, resolved.partition, resolved.catchup, resolved.catchupLimit, resolved.assets],
    ['UTC', '*', 'tick_day', 'latest', 1, ['sales']],
  );
});

for (const [spec, message] of [
  [{ cron: '61 12 * * *' }, /schedule daily: cron "61 12 \* \* \*" is invalid: .*minute/],
  [{ timezone: 'Mars/Olympus' }, /schedule daily: timezone "Mars\/Olympus" is not an IANA timezone/],
  [{ select: 'sale' }, /schedule daily: .*sale.*sales/],
  [{ catchup: 'every' as never }, /schedule daily: catchup must be "latest" or "all", got "every"/],
  [{ catchup: 'all' as const, catchupLimit: 0 }, /schedule daily: catchupLimit must be a positive integer, got 0/],
  [{ partition: 'tomorrow' as never }, /schedule daily: partition must be "tick_day" or "previous_day"/],
  [{ name: 'Daily Alert' }, /schedules\[0\]: name "Daily Alert" is invalid/],
] as const) {
  test(`a schedule is refused, naming it and the rule: ${JSON.stringify(spec)}`, () => {
    assert.throws(() => schedule(spec), (error: Error & { code?: string }) => error.code === 'DUCKDAG_SCHEDULE_INVALID' && message.test(error.message));
  });
}

test('two schedules of the same name are refused', () => {
  assert.throws(
    () => resolveSchedules([{ name: 'daily', cron: '0 12 * * *' }, { name: 'daily', cron: '0 13 * * *' }], graph, 'config'),
    /two schedules are named "daily"/,
  );
});
