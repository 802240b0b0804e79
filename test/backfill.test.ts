import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parsePartitionSet } from '../core/kernel/partition-set.ts';
import { fixtureProject } from './support/fixture-project.ts';
import { editAlertCode, scheduledProjectConfig, statesOf } from './support/scheduled-project.ts';

function project(t: TestContext) {
  const fixture = fixtureProject(t, { 'duckdag.config.ts': scheduledProjectConfig({ name: 'daily_alert', cron: '0 12 * * *' }) });
  const sentLog = join(fixture.dir, 'sent.log');
  return {
    dir: fixture.dir,
    run: (args: readonly string[], env: NodeJS.ProcessEnv = {}) => fixture.run(args, { env: { SENT_LOG: sentLog, ...env } }),
    sent: () => (existsSync(sentLog) ? readFileSync(sentLog, 'utf8').split('\n').filter((line) => line !== '') : []),
  };
}

interface BackfillJson {
  status: string;
  partitions: { partitionKey: string; status: string; error: string | null }[];
}

const fiveDays = '2026-11-01..2026-11-05';

test('a partition set reads ranges and single days, oldest first, each once', () => {
  assert.deepEqual(parsePartitionSet('2026-11-30..2026-12-02,2026-11-01,2026-12-01'), ['2026-11-01', '2026-11-30', '2026-12-01', '2026-12-02']);
});

test('a partition set is refused for a range that ends before it starts, or a date that does not exist', () => {
  assert.throws(() => parsePartitionSet('2026-11-05..2026-11-01'), /range "2026-11-05\.\.2026-11-01" ends before it starts/);
  assert.throws(() => parsePartitionSet('2026-11-01..2026-02-30'), /--partition must be a date written YYYY-MM-DD, got "2026-02-30"/);
  assert.throws(() => parsePartitionSet('2026-11-01,,2026-11-03'), /empty item/);
});

test('a backfill of 5 partitions stops at the failing one and leaves the rest not run', async (t) => {
  const fixture = project(t);
  const run = await fixture.run(['materialize', '-p', fiveDays, '--json'], { FAIL_ON: '2026-11-03' });
  assert.equal(run.code, 1, run.stderr);
  const result = JSON.parse(run.stdout) as BackfillJson;
  assert.deepEqual(result.partitions.map((partition) => [partition.partitionKey, partition.status]), [
    ['2026-11-01', 'succeeded'],
    ['2026-11-02', 'succeeded'],
    ['2026-11-03', 'failed'],
    ['2026-11-04', 'not_run'],
    ['2026-11-05', 'not_run'],
  ]);
  assert.match(result.partitions[3]?.error ?? '', /partition 2026-11-03 failed \(--keep-going runs the rest anyway\)/);
  assert.deepEqual(fixture.sent(), ['2026-11-01', '2026-11-02']);
});

test('a backfill with --keep-going runs every partition after a failing one', async (t) => {
  const fixture = project(t);
  const run = await fixture.run(['materialize', '-p', fiveDays, '--keep-going'], { FAIL_ON: '2026-11-03' });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /partition 2026-11-05 \(5\/5, 4 done · ETA \d+ ms\)/);
  assert.match(run.stdout, /✗ sales failed: .*no sales file for 2026-11-03/);
  assert.match(run.stdout, /backfill failed: 5 partitions, 4 succeeded, 1 failed in /);
  assert.deepEqual(fixture.sent(), ['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-05']);
});

test('--missing runs only the partitions not yet materialized, and a re-run backfill sends no second alert', async (t) => {
  const fixture = project(t);
  await fixture.run(['materialize', '-p', fiveDays, '--keep-going'], { FAIL_ON: '2026-11-03' });
  const missing = await fixture.run(['materialize', '-p', fiveDays, '--missing']);
  assert.equal(missing.code, 0, missing.stderr);
  assert.match(missing.stdout, /backfill: 1 of 5 partitions \(2026-11-01\.\.2026-11-05\); 4 already materialized, left out \(--missing\)/);
  const again = await fixture.run(['materialize', '-p', fiveDays]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(fixture.sent(), ['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-05', '2026-11-03']);
});

test('a backfill records code versions: its assets are fresh, and stale once their code changes', async (t) => {
  const fixture = project(t);
  assert.equal((await fixture.run(['materialize', '--partition', '2026-11-01..2026-11-02'])).code, 0);
  assert.deepEqual(statesOf((await fixture.run(['status', '--json'])).stdout), [
    'alert@2026-11-01: fresh',
    'alert@2026-11-02: fresh',
    'sales@2026-11-01: fresh',
    'sales@2026-11-02: fresh',
  ]);
  editAlertCode(fixture.dir);
  const stale = 'stale (code changed since its last materialization)';
  assert.deepEqual(statesOf((await fixture.run(['status', '--json'])).stdout), [`alert@2026-11-01: ${stale}`, `alert@2026-11-02: ${stale}`, 'sales@2026-11-01: fresh', 'sales@2026-11-02: fresh']);
});

test('a backfill --dry-run prints the plan of each partition and runs nothing', async (t) => {
  const fixture = project(t);
  await fixture.run(['materialize', '-p', '2026-11-02']);
  const run = await fixture.run(['materialize', '-p', '2026-11-01..2026-11-03', '--missing', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    run.stdout.split('\n').filter((line) => line.startsWith('plan:')),
    ['plan: 2 assets, partition 2026-11-01', 'plan: 2 assets, partition 2026-11-03'],
  );
  assert.deepEqual(fixture.sent(), ['2026-11-02']);
});

test('a backfill of a selection without partitioned assets is refused', async (t) => {
  const fixture = fixtureProject(t, {
    'duckdag.config.ts': scheduledProjectConfig({ name: 'daily_alert', cron: '0 12 * * *' }).replace(
      "export default defineConfig({ assets: [sales, alert]",
      "const lookup = tableAsset({ name: 'lookup', materialize: (_, ctx) => ctx.output.createAs(sql`SELECT 1 AS id`) });\nexport default defineConfig({ assets: [sales, alert, lookup]",
    ),
  });
  const run = await fixture.run(['materialize', '-s', 'lookup', '-p', fiveDays]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /the selection "lookup" has no partitioned asset/);
});
