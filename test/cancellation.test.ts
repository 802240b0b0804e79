import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { duckdagBin, fixtureProject, repoRoot, waitForOutput } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';
import { startSmtpServer } from './support/smtp-test-server.ts';
import { tempDir } from './support/temp-dir.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

test('cancelling during a retry wait ends the wait at once and records the asset cancelled', async (t) => {
  const warehouse = tempWarehouse(t);
  const controller = new AbortController();
  const tries: number[] = [];
  const flaky = valueAsset({
    name: 'flaky',
    retry: { attempts: 3, delayMs: 60_000 },
    compute: (_, ctx) => {
      tries.push(ctx.attempt);
      setImmediate(() => controller.abort());
      throw new Error('refused');
    },
  });
  const result = await warehouse.run([flaky], { signal: controller.signal });
  assert.deepEqual(tries, [1]);
  assert.equal(result.status, 'cancelled');
  assert.deepEqual(statuses(result), { flaky: 'cancelled' });
  assert.deepEqual(await warehouse.query(`SELECT status FROM duckdag.materializations`), [{ status: 'cancelled' }]);
  assert.deepEqual(await warehouse.query(`SELECT status FROM duckdag.runs`), [{ status: 'cancelled' }]);
});

test('once a run is cancelled no further asset starts, and its downstream is recorded cancelled', async (t) => {
  const warehouse = tempWarehouse(t);
  const controller = new AbortController();
  const started: string[] = [];
  const first = valueAsset({
    name: 'first',
    compute: (_, ctx) => {
      started.push(ctx.asset);
      controller.abort();
      return 1;
    },
  });
  const second = valueAsset({ name: 'second', deps: { first }, compute: (_, ctx) => started.push(ctx.asset) });
  const third = valueAsset({ name: 'third', deps: { second }, compute: (_, ctx) => started.push(ctx.asset) });
  const result = await warehouse.run([first, second, third], { signal: controller.signal, concurrency: 1 });
  assert.deepEqual(started, ['first']);
  assert.deepEqual(statuses(result), { first: 'materialized', second: 'cancelled', third: 'cancelled' });
  assert.equal(result.assets.find((asset) => asset.asset === 'third')?.reason, 'upstream second was cancelled');
});

test('a statement asked for after the run is cancelled does not start, and the previous table stays', async (t) => {
  const warehouse = tempWarehouse(t);
  const items = (label: string, signal?: AbortController) =>
    tableAsset({
      name: 'items',
      materialize: async (_, ctx) => {
        signal?.abort();
        await ctx.output.createAs(sql`SELECT ${label} AS label`);
      },
    });
  await warehouse.run([items('old')]);
  const controller = new AbortController();
  const result = await warehouse.run([items('new', controller)], { signal: controller.signal });
  assert.deepEqual(statuses(result), { items: 'cancelled' });
  assert.deepEqual(await warehouse.query('SELECT label FROM items'), [{ label: 'old' }]);
});

test('a running query is interrupted when the run is cancelled', async (t) => {
  const warehouse = tempWarehouse(t);
  const controller = new AbortController();
  const slow = sqlAsset({
    name: 'slow',
    query: () => {
      // Its statement is sent right after this returns: cancel once it is running, however slow the machine.
      setTimeout(() => controller.abort(), 200);
      return sql`SELECT count(*) AS n FROM range(10000000000) a`;
    },
  });
  const result = await warehouse.run([slow], { signal: controller.signal });
  assert.deepEqual(statuses(result), { slow: 'cancelled' });
  assert.match(result.assets[0]?.error ?? '', /interrupt/i);
});

/** A loopback port with nothing listening on it: connections are refused until a server takes it. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('Ctrl-C while the email waits to retry a refused SMTP connection: no email, status cancelled, exit 130', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const env = {
    ...process.env,
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    ALERT_OUTBOX_DIR: join(dir, 'outbox'),
    DUCKDAG_WAREHOUSE: join(dir, 'warehouse.duckdb'),
  };
  const child = spawn(process.execPath, [duckdagBin, 'materialize', '-p', '2026-11-24'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForOutput(child, '↻ sales_alert_email attempt 1 failed, retrying');
  child.kill('SIGINT');
  const smtp = await startSmtpServer(t, null, {}, port);
  const [code] = await once(child, 'close');
  assert.equal(code, 130, stderr);
  // The server was up for the whole rest of the run: a retry after the signal would have reached it.
  assert.equal(smtp.received.length, 0);
  const query = spawn(process.execPath, [duckdagBin, 'status', '--json', '-p', '2026-11-24'], { cwd: repoRoot, env });
  let stdout = '';
  query.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await once(query, 'close');
  const rows = JSON.parse(stdout) as { asset: string; status: string }[];
  assert.equal(rows.find((row) => row.asset === 'sales_alert_email')?.status, 'cancelled');
  assert.equal(rows.find((row) => row.asset === 'email_body')?.status, 'materialized');
});

test('a second Ctrl-C exits 130 at once, even while an asset ignores the cancellation, and leaves the previous data', async (t) => {
  const project = fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig });
  assert.equal((await project.run(['materialize', '--select', 'numbers', '-p', '2026-11-24'])).code, 0);
  const child = project.spawn(['materialize', '--select', 'numbers', '-p', '2026-11-24'], { env: { HOLD: '1' } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForOutput(child, 'holding the warehouse');
  child.kill('SIGINT');
  while (!stderr.includes('cancelling')) await once(child.stderr!, 'data');
  child.kill('SIGINT');
  const [code] = await once(child, 'close');
  assert.equal(code, 130);
  const rows = await project.run(['query', `SELECT count(*) AS n FROM numbers`, '--json']);
  assert.deepEqual(JSON.parse(rows.stdout), [{ n: 10 }]);
});
