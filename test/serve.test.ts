import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { spawn } from 'node:child_process';
import { duckdagBin, fixtureProject, repoRoot, waitForOutput, type FixtureProject } from './support/fixture-project.ts';
import { childPids, loadsDuckdb } from './support/process-tree.ts';
import { editAlertCode, scheduledProjectConfig, statesOf } from './support/scheduled-project.ts';
import { tempDir } from './support/temp-dir.ts';

const daily = { name: 'daily_alert', cron: '0 12 * * *', timezone: 'UTC', select: '*', partition: 'tick_day' };

function project(t: TestContext, schedule: Record<string, unknown> = daily): FixtureProject & { sentLog: string; sent(): string[] } {
  const fixture = fixtureProject(t, { 'duckdag.config.ts': scheduledProjectConfig(schedule) });
  const sentLog = join(fixture.dir, 'sent.log');
  const env = { SENT_LOG: sentLog };
  return {
    ...fixture,
    sentLog,
    run: (args, options) => fixture.run(args, { env: { ...env, ...options?.env } }),
    spawn: (args, options) => fixture.spawn(args, { env: { ...env, ...options?.env } }),
    sent: () => (existsSync(sentLog) ? readFileSync(sentLog, 'utf8').split('\n').filter((line) => line !== '') : []),
  };
}

async function json<T>(fixture: FixtureProject, args: readonly string[]): Promise<T> {
  const run = await fixture.run([...args, '--json']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  return JSON.parse(run.stdout) as T;
}

test('serve --once right after setup runs the newest past tick, then finds nothing due', async (t) => {
  const fixture = project(t);
  const first = await fixture.run(['serve', '--once', '--now', '2026-11-24T15:00:00Z']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /tick daily_alert 2026-11-24T12:00:00\.000Z → partition 2026-11-24: run \S+ started/);
  assert.match(first.stdout, /run \S+ succeeded \(partition 2026-11-24\)/);
  const second = await fixture.run(['serve', '--once', '--now', '2026-11-24T15:00:00Z']);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /no tick is due/);
  assert.deepEqual(fixture.sent(), ['2026-11-24']);
  const runs = await json<{ schedule: string; partition_key: string }[]>(fixture, ['runs']);
  assert.deepEqual(runs.map((run) => [run.schedule, run.partition_key]), [['daily_alert', '2026-11-24']]);
});

test('serve --once logs JSON lines with --json', async (t) => {
  const fixture = project(t);
  const run = await fixture.run(['serve', '--once', '--now', '2026-11-24T15:00:00Z', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; status?: string; time: string });
  assert.deepEqual(events.map((event) => event.event), ['serve_started', 'tick', 'run_finished', 'serve_stopped']);
  assert.equal(events[1]?.status, 'started');
  assert.ok(events.every((event) => !Number.isNaN(Date.parse(event.time))));
});

test('a restart after SIGKILL mid-run does not fire the tick again nor send a second alert', async (t) => {
  const fixture = project(t);
  const child = fixture.spawn(['serve', '--once', '--now', '2026-11-24T12:00:05Z'], { env: { HOLD_AFTER_SEND: '1' } });
  await waitForOutput(child, 'sent, holding');
  child.kill('SIGKILL');
  await once(child, 'close');
  const restart = await fixture.run(['serve', '--once', '--now', '2026-11-24T12:00:05Z']);
  assert.equal(restart.code, 0, restart.stderr);
  assert.match(restart.stdout, /no tick is due/);
  assert.deepEqual(fixture.sent(), ['2026-11-24']);
  const [tick] = await json<{ last_status: string; last_detail: string }[]>(fixture, ['schedules']);
  assert.equal(tick?.last_status, 'interrupted');
  assert.match(tick?.last_detail ?? '', /the serve process \(pid \d+\) ended before the run did/);
  // The next day's tick still runs.
  assert.equal((await fixture.run(['serve', '--once', '--now', '2026-11-25T12:00:05Z'])).code, 0);
  assert.deepEqual(fixture.sent(), ['2026-11-24', '2026-11-25']);
});

test('two serve --once at the same moment produce one run', async (t) => {
  const fixture = project(t);
  const args = ['serve', '--once', '--now', '2026-11-24T12:00:05Z'];
  const [a, b] = await Promise.all([fixture.run(args), fixture.run(args)]);
  assert.deepEqual([a.code, b.code], [0, 0], a.stderr + b.stderr);
  assert.deepEqual(fixture.sent(), ['2026-11-24']);
  const runs = await json<unknown[]>(fixture, ['runs']);
  assert.equal(runs.length, 1);
});

test('serve stopped with SIGTERM while an asset runs records the run cancelled and exits 130; other commands meanwhile get busy', async (t) => {
  const fixture = project(t, { ...daily, cron: '* * * * * *' });
  const child = fixture.spawn(['serve'], { env: { HOLD: '1' } });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await waitForOutput(child, 'holding the warehouse');
  const busy = await fixture.run(['status', '--lock-timeout', '200']);
  assert.equal(busy.code, 3, busy.stdout + busy.stderr + stdout);
  assert.match(busy.stderr, /warehouse busy: held by pid \d+ since .* \(duckdag serve\)/);
  child.kill('SIGTERM');
  const [code] = await once(child, 'close');
  assert.equal(code, 130, stdout);
  assert.match(stdout, /SIGTERM: stopping/);
  const runs = await json<{ status: string; cancelled: number }[]>(fixture, ['runs']);
  assert.deepEqual(runs.map((run) => run.status), ['cancelled']);
  const [schedule] = await json<{ last_status: string }[]>(fixture, ['schedules']);
  assert.equal(schedule?.last_status, 'cancelled');
});

test('while serve waits between ticks, status works from another process, and SIGTERM then exits 0', async (t) => {
  const fixture = project(t, { ...daily, cron: '* * * * * *' });
  const child = fixture.spawn(['serve']);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await waitForOutput(child, 'succeeded (partition');
  const status = await fixture.run(['status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual((JSON.parse(status.stdout) as { asset: string; status: string; schedule: string }[]).map((row) => [row.asset, row.status, row.schedule]), [
    ['alert', 'materialized', 'daily_alert'],
    ['sales', 'materialized', 'daily_alert'],
  ]);
  child.kill('SIGTERM');
  const [code] = await once(child, 'close');
  assert.equal(code, 0, stdout);
  assert.equal(fixture.sent().length, 1);
});

test('serve --once records the code versions of what it runs: its assets are fresh, and stale once their code changes', async (t) => {
  const fixture = project(t);
  assert.equal((await fixture.run(['serve', '--once', '--now', '2026-11-24T12:30:00Z'])).code, 0);
  assert.deepEqual(statesOf((await fixture.run(['status', '--json'])).stdout), ['alert@2026-11-24: fresh', 'sales@2026-11-24: fresh']);
  editAlertCode(fixture.dir);
  assert.deepEqual(statesOf((await fixture.run(['status', '--json'])).stdout), [
    'alert@2026-11-24: stale (code changed since its last materialization)',
    'sales@2026-11-24: fresh',
  ]);
});

test('a long-running serve records the code versions of what its ticks run', async (t) => {
  const fixture = project(t, { ...daily, cron: '* * * * * *' });
  const child = fixture.spawn(['serve', '--no-ui']);
  await waitForOutput(child, 'succeeded (partition');
  child.kill('SIGTERM');
  await once(child, 'close');
  const fresh = statesOf((await fixture.run(['status', '--json'])).stdout);
  assert.deepEqual(fresh.map((line) => line.replace(/@[\d-]+/, '')), ['alert: fresh', 'sales: fresh']);
  editAlertCode(fixture.dir);
  const after = statesOf((await fixture.run(['status', '--json'])).stdout);
  assert.deepEqual(after.map((line) => line.replace(/@[\d-]+/, '')), ['alert: stale (code changed since its last materialization)', 'sales: fresh']);
});

test('between distant ticks serve --no-ui keeps no worker and has not loaded DuckDB; SIGTERM then exits 0', async (t) => {
  const fixture = project(t);
  const child = fixture.spawn(['serve', '--no-ui']);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await waitForOutput(child, 'waiting until');
  // The worker that ran the tick exits once it has said until when serve is idle.
  while (childPids(child.pid!).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(loadsDuckdb(child.pid!), false);
  assert.deepEqual(fixture.sent().length, 1);
  child.kill('SIGTERM');
  const [code] = await once(child, 'close');
  assert.equal(code, 0, stdout);
  assert.match(stdout, /SIGTERM: stopping between ticks/);
});

test('serve --once without schedules in the config is a usage error', async (t) => {
  const fixture = fixtureProject(t, {
    'duckdag.config.ts': scheduledProjectConfig(daily).replace(/, schedules: \[.*\] \}\);/, ' });'),
  });
  const run = await fixture.run(['serve', '--once']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /declares no schedules/);
});

test('an invalid schedule stops every command with exit 2, naming the schedule', async (t) => {
  const fixture = project(t, { ...daily, cron: '0 25 * * *' });
  const run = await fixture.run(['list']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /schedule daily_alert: cron "0 25 \* \* \*" is invalid/);
});

test('the MercadoLibre config schedules daily_sales_alert, and serve --once sends the latest alert', async (t) => {
  const dir = tempDir(t);
  const env = { ...process.env, ALERT_OUTBOX_DIR: join(dir, 'outbox'), DUCKDAG_WAREHOUSE: join(dir, 'warehouse.duckdb') };
  const child = spawn(process.execPath, [duckdagBin, 'serve', '--once', '--now', '2026-11-24T12:30:00Z'], { cwd: repoRoot, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = await once(child, 'close');
  assert.equal(code, 0, stdout);
  assert.match(stdout, /daily_sales_alert: 0 12 \* \* \* \(UTC\)/);
  assert.deepEqual(readdirSync(join(dir, 'outbox')).sort(), ['2026-11-24.eml', '2026-11-24.html']);
});
