import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { WarehouseBusyError } from '../core/kernel/errors.ts';
import { dailyPartitions, sql, tableAsset } from '../core/index.ts';
import { RunLauncher } from '../core/cli/web/run-launcher.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { readRows } from '../storage/read-rows.ts';
import { WarehouseAccess } from '../storage/warehouse-access.ts';
import { repoRoot } from './support/fixture-project.ts';
import { tempDir } from './support/temp-dir.ts';

const numbers = tableAsset({
  name: 'numbers',
  partitions: dailyPartitions('day'),
  materialize: async (_, ctx) => ctx.output.createAs(sql`SELECT CAST(${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(3)`),
});
const graph = AssetGraph.build([numbers]);

function access(t: TestContext, lingerMs = 0): { access: WarehouseAccess; path: string } {
  const path = join(tempDir(t), 'warehouse.duckdb');
  const one = new WarehouseAccess({ warehouse: { path, lockTimeoutMs: 2000 }, kinds: new AssetKinds(), lingerMs });
  t.after(() => one.close());
  return { access: one, path };
}

/** Whether another process can open the file for writing within `ms`. */
function anotherProcessCanWrite(path: string): Promise<boolean> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(${JSON.stringify(path)});
    (await instance.connect()).closeSync();
    instance.closeSync();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, stdio: 'ignore' });
    child.on('close', (code) => resolve(code === 0));
  });
}

test('a reader reads through the writing session while one is open', async (t) => {
  const { access: one } = access(t);
  const session = await one.openSession('a test run');
  await session.store.history.recordRunStart({ runId: 'r1', startedAt: new Date(), selection: '*', exclude: null, partitionKey: '2026-11-24', force: false });
  const rows = await one.read((connection) => readRows<{ run_id: string }>(connection, 'SELECT run_id FROM duckdag.runs'));
  assert.deepEqual(rows, [{ run_id: 'r1' }]);
  assert.equal(one.writer, 'a test run');
  session.close();
});

test('once its readers are done the warehouse is let go, so another process can write it', async (t) => {
  const { access: one, path } = access(t);
  (await one.openSession('setup')).close();
  await one.read((connection) => readRows(connection, 'SELECT 1'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await anotherProcessCanWrite(path), true);
});

test('a second writer waits until the first has closed its session', async (t) => {
  const { access: one } = access(t);
  const order: string[] = [];
  const first = await one.openSession('first');
  const second = one.openSession('second').then((session) => {
    order.push('second opened');
    return session;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  order.push('first closing');
  first.close();
  (await second).close();
  assert.deepEqual(order, ['first closing', 'second opened']);
});

test('a query on an instance of its own is refused while a session writes', async (t) => {
  const { access: one } = access(t);
  const session = await one.openSession("a schedule's tick");
  await assert.rejects(
    one.readAlone(async () => 'ran'),
    (error: unknown) => error instanceof WarehouseBusyError && /being written by a schedule's tick/.test(error.message),
  );
  session.close();
  assert.equal(await one.readAlone(async () => 'ran'), 'ran');
});

test('a launch from the web UI is refused while a schedule tick writes the warehouse', async (t) => {
  const { access: one } = access(t);
  const launcher = new RunLauncher({ graph, access: one, resources: {}, codeVersions: new Map(), concurrency: 1, onRunEvent: () => undefined });
  const session = await one.openSession("a schedule's tick");
  assert.throws(
    () => launcher.launch({ select: '*', partition: '2026-11-24' }),
    (error: unknown) => error instanceof WarehouseBusyError && /a schedule's tick is writing the warehouse; launch again when it has finished/.test(error.message),
  );
  assert.deepEqual(launcher.launches, []);
  session.close();
});
