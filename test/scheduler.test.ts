import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { dailyPartitions } from '../core/kernel/daily-partitions.ts';
import { resolveSchedules, type ScheduleSpec } from '../core/kernel/schedule-definition.ts';
import { sql } from '../core/kernel/sql.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import type { Clock } from '../core/runtime/clock.ts';
import { Scheduler, type SchedulerEvent } from '../core/runtime/scheduler.ts';
import { materializeAssets } from '../core/testing.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { readRows } from '../storage/read-rows.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { openWarehouseSession } from '../storage/warehouse-session.ts';
import { tempDir } from './support/temp-dir.ts';

/** A clock the test sets; sleeping moves it forward at once. */
class TestClock implements Clock {
  #now: number;

  constructor(iso: string) {
    this.#now = Date.parse(iso);
  }

  set(iso: string): void {
    this.#now = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.#now);
  }

  async sleep(ms: number): Promise<void> {
    this.#now += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function scheduledProject(t: TestContext, spec: Partial<ScheduleSpec> = {}) {
  const path = join(tempDir(t), 'warehouse.duckdb');
  const sent: string[] = [];
  const sales = tableAsset({
    name: 'sales',
    partitions: dailyPartitions('day'),
    materialize: async (_, ctx) => ctx.output.createAs(sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, range AS amount FROM range(3)`),
  });
  const alert = valueAsset({
    name: 'alert',
    deps: { sales },
    partitions: dailyPartitions('day'),
    compute: (_, ctx) => {
      sent.push(ctx.partitionKey!);
      return { sentFor: ctx.partitionKey };
    },
  });
  const assets = [sales, alert];
  const graph = AssetGraph.build(assets);
  const schedules = resolveSchedules([{ name: 'daily_alert', cron: '0 12 * * *', ...spec }], graph, 'test config');
  const events: SchedulerEvent[] = [];
  const scheduler = (clock: Clock, idleBeyondMs?: number) =>
    new Scheduler({
      schedules,
      graph,
      clock,
      idleBeyondMs,
      concurrency: 2,
      openSession: () => openWarehouseSession({ path, lockTimeoutMs: 2000, command: 'test serve' }, new AssetKinds()),
      onEvent: (event) => events.push(event),
    });
  const query = async <Row = Record<string, unknown>>(text: string): Promise<Row[]> => {
    const warehouse = await Warehouse.open({ path, access: 'read_only', lockTimeoutMs: 2000, command: 'test' });
    try {
      return await readRows<Row>(await warehouse.connect(), text);
    } finally {
      warehouse.close();
    }
  };
  const ticks = () =>
    query<{ tick: string; partition_key: string; status: string; reason: string | null }>(
      `SELECT strftime(tick_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M') AS tick, partition_key, status, reason FROM duckdag.schedule_ticks ORDER BY tick_at`,
    );
  return { path, sent, assets, scheduler, query, ticks, events };
}

test('after downtime, catch-up latest runs only the newest missed tick', async (t) => {
  const project = scheduledProject(t);
  const clock = new TestClock('2026-11-20T12:00:30Z');
  await scheduler(project, clock).runOnce();
  clock.set('2026-11-23T18:00:00Z');
  const outcomes = await scheduler(project, clock).runOnce();
  assert.deepEqual(outcomes.map((tick) => [tick.partitionKey, tick.status]), [['2026-11-23', 'succeeded']]);
  assert.deepEqual(project.sent, ['2026-11-20', '2026-11-23']);
  assert.deepEqual(project.events.find((event) => event.type === 'catchup'), { type: 'catchup', schedule: 'daily_alert', policy: 'latest', passedOver: 2, due: 1 });
});

test('after downtime, catch-up all runs the missed ticks in order, up to its bound', async (t) => {
  const project = scheduledProject(t, { catchup: 'all', catchupLimit: 2 });
  const clock = new TestClock('2026-11-20T12:00:30Z');
  await scheduler(project, clock).runOnce();
  clock.set('2026-11-23T18:00:00Z');
  await scheduler(project, clock).runOnce();
  assert.deepEqual(project.sent, ['2026-11-20', '2026-11-22', '2026-11-23']);
  assert.deepEqual(
    (await project.ticks()).map((tick) => [tick.tick, tick.status]),
    [
      ['2026-11-20T12:00', 'succeeded'],
      ['2026-11-22T12:00', 'succeeded'],
      ['2026-11-23T12:00', 'succeeded'],
    ],
  );
});

test('a tick evaluated again finds itself recorded and runs nothing', async (t) => {
  const project = scheduledProject(t);
  const clock = new TestClock('2026-11-24T12:00:05Z');
  await scheduler(project, clock).runOnce();
  assert.deepEqual(await scheduler(project, clock).runOnce(), []);
  assert.deepEqual(project.sent, ['2026-11-24']);
});

test('a tick whose partition is already materialized is recorded skipped, with the reason', async (t) => {
  const project = scheduledProject(t);
  await materializeAssets(project.assets, { warehouse: project.path, partitionKey: '2026-11-24' });
  project.sent.length = 0;
  const outcomes = await scheduler(project, new TestClock('2026-11-24T12:00:05Z')).runOnce();
  assert.deepEqual(outcomes.map((tick) => [tick.status, tick.runId]), [['skipped', null]]);
  assert.match(outcomes[0]!.reason ?? '', /partition 2026-11-24 is already materialized/);
  assert.deepEqual(project.sent, []);
  assert.deepEqual((await project.ticks()).map((tick) => tick.status), ['skipped']);
});

test('a later tick of a schedule for a partition it already ran is recorded skipped, naming the earlier tick', async (t) => {
  const project = scheduledProject(t, { cron: '0 * * * *' });
  const clock = new TestClock('2026-11-24T12:00:05Z');
  await scheduler(project, clock).runOnce();
  await project.query('SELECT 1'); // the warehouse is free between ticks
  clock.set('2026-11-24T13:00:05Z');
  const [later] = await scheduler(project, clock).runOnce();
  assert.equal(later?.status, 'skipped');
  assert.match(later?.reason ?? '', /^partition 2026-11-24 was already taken by this schedule's tick at 2026-11-24T12:00:00Z \(succeeded, run \S+\)$/);
  assert.deepEqual(project.sent, ['2026-11-24']);
});

test('the warehouse refuses a second claim of a schedule and partition', async (t) => {
  const project = scheduledProject(t);
  await scheduler(project, new TestClock('2026-11-24T12:00:05Z')).runOnce();
  const warehouse = await Warehouse.open({ path: project.path, access: 'read_write', lockTimeoutMs: 2000, command: 'test' });
  t.after(() => warehouse.close());
  const connection = await warehouse.connect();
  await assert.rejects(
    connection.run(`INSERT INTO duckdag.schedule_ticks (schedule, tick_at, partition_key, claimed_partition_key, status, recorded_at, pid)
                    VALUES ('daily_alert', TIMESTAMPTZ '2026-11-24T13:00:00Z', '2026-11-24', '2026-11-24', 'started', now(), 1)`),
    /Duplicate key .*violates unique constraint/,
  );
});

test('serving runs each tick as the clock reaches it and stops while waiting', async (t) => {
  const project = scheduledProject(t);
  const clock = new TestClock('2026-11-24T12:00:05Z');
  const serving = scheduler(project, clock);
  const done = serving.start();
  // Each sleep moves the test clock on; stop once two more days of ticks have run.
  await until(() => project.events.filter((event) => event.type === 'run_finished').length >= 3);
  await serving.stop();
  await done;
  assert.equal(serving.cancelledRun, false);
  assert.deepEqual(project.sent, ['2026-11-24', '2026-11-25', '2026-11-26']);
  const waits = project.events.filter((event) => event.type === 'waiting').map((event) => event.until);
  assert.deepEqual(waits.slice(0, 2), ['2026-11-25T12:00:00.000Z', '2026-11-26T12:00:00.000Z']);
});

test('serving with idleBeyondMs ends after the tick, saying when the next one is due, when it is further away', async (t) => {
  const project = scheduledProject(t);
  const serving = project.scheduler(new TestClock('2026-11-24T12:00:05Z'), 120_000);
  await serving.start();
  assert.deepEqual(project.sent, ['2026-11-24']);
  assert.equal(serving.idleUntil?.toISOString(), '2026-11-25T12:00:00.000Z');
  assert.equal(serving.stopped, false);
});

test('serving with idleBeyondMs goes on waiting for a tick closer than that', async (t) => {
  const project = scheduledProject(t, { cron: '0 * * * * *' });
  const serving = project.scheduler(new TestClock('2026-11-24T12:00:05Z'), 120_000);
  const done = serving.start();
  await until(() => project.events.filter((event) => event.type === 'tick').length >= 3);
  await serving.stop();
  await done;
  assert.equal(serving.idleUntil, null);
});

test('endIdle ends serving while it waits for a tick further away than asked, with that tick\'s time', async (t) => {
  const project = scheduledProject(t);
  const serving = project.scheduler(new StillClock('2026-11-24T12:00:05Z'));
  const done = serving.start();
  await until(() => project.events.some((event) => event.type === 'waiting'));
  assert.equal(serving.endIdle(24 * 3600_000), false, 'the next tick is less than a day away');
  assert.deepEqual(serving.endIdle(120_000), { until: new Date('2026-11-25T12:00:00.000Z') });
  await done;
  assert.deepEqual(project.sent, ['2026-11-24']);
  assert.equal(serving.stopped, false);
});

/** A clock that stands still: sleeping lasts until the sleep is ended. */
class StillClock implements Clock {
  readonly #now: Date;

  constructor(iso: string) {
    this.#now = new Date(iso);
  }

  now(): Date {
    return this.#now;
  }

  sleep(_ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

/** Lets the scheduler's turns run until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

function scheduler(project: ReturnType<typeof scheduledProject>, clock: Clock): Scheduler {
  return project.scheduler(clock);
}
