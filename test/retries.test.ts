import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetFailure } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { tableAsset } from '../core/kernel/table-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import type { RunEvent } from '../core/runtime/run-result.ts';
import { tempWarehouse } from './support/temp-warehouse.ts';

/** An asset that fails its first `failures` tries. */
function flaky(failures: number, attempts: number) {
  const calls: number[] = [];
  const asset = tableAsset({
    name: 'flaky',
    retry: { attempts, delayMs: 5, backoff: 2 },
    materialize: async (_, ctx) => {
      calls.push(ctx.attempt);
      await ctx.output.createAs(sql`SELECT ${ctx.attempt} AS attempt`);
      if (calls.length <= failures) throw new Error(`try ${ctx.attempt} failed`);
    },
  });
  return { asset, calls };
}

test('an asset that fails fewer times than its attempts materializes, counting its attempts', async (t) => {
  const warehouse = tempWarehouse(t);
  const { asset, calls } = flaky(2, 3);
  const result = await warehouse.run([asset]);
  assert.equal(result.assets[0]?.status, 'materialized');
  assert.equal(result.assets[0]?.attempts, 3);
  assert.deepEqual(calls, [1, 2, 3]);
  assert.deepEqual(await warehouse.query('SELECT attempt FROM flaky'), [{ attempt: 3 }]);
});

test('an asset that fails every attempt fails with the last error after all attempts', async (t) => {
  const warehouse = tempWarehouse(t);
  const { asset, calls } = flaky(5, 2);
  const result = await warehouse.run([asset]);
  assert.equal(result.assets[0]?.status, 'failed');
  assert.equal(result.assets[0]?.attempts, 2);
  assert.match(result.assets[0]?.error ?? '', /asset flaky: try 2 failed/);
  assert.deepEqual(calls, [1, 2]);
});

test('each retry is announced with the error of the failed attempt', async (t) => {
  const warehouse = tempWarehouse(t);
  const { asset } = flaky(1, 2);
  const events: RunEvent[] = [];
  await warehouse.run([asset], { onEvent: (event) => events.push(event) });
  const retries = events.filter((event) => event.type === 'asset_retrying');
  assert.deepEqual(retries, [{ type: 'asset_retrying', asset: 'flaky', attempt: 1, error: 'asset flaky: try 1 failed' }]);
});

test('retries wait with exponential backoff', async (t) => {
  const warehouse = tempWarehouse(t);
  const starts: number[] = [];
  const slow = valueAsset({
    name: 'slow',
    retry: { attempts: 3, delayMs: 100, backoff: 3 },
    compute: () => {
      starts.push(performance.now());
      if (starts.length < 3) throw new Error('not yet');
      return 1;
    },
  });
  await warehouse.run([slow]);
  const [first = 0, second = 0, third = 0] = starts;
  assert.ok(second - first >= 95, `first wait ${second - first} ms`);
  assert.ok(third - second >= 295, `second wait ${third - second} ms`);
});

test('an attempt that throws a TypeError from user code is retried too', async (t) => {
  const warehouse = tempWarehouse(t);
  let calls = 0;
  const typo = valueAsset({
    name: 'typo',
    retry: { attempts: 2, delayMs: 1 },
    compute: () => {
      calls += 1;
      if (calls === 1) throw new TypeError('cannot read properties of undefined');
      return 'ok';
    },
  });
  const result = await warehouse.run([typo]);
  assert.equal(result.assets[0]?.status, 'materialized');
});

test('an AssetFailure that is not retryable fails at once, skipping the remaining attempts', async (t) => {
  const warehouse = tempWarehouse(t);
  let calls = 0;
  const refused = valueAsset<string>({
    name: 'refused',
    retry: { attempts: 5, delayMs: 1 },
    compute: () => {
      calls += 1;
      throw new AssetFailure('550 mailbox does not exist', { retryable: false });
    },
  });
  const result = await warehouse.run([refused]);
  assert.equal(calls, 1);
  assert.equal(result.assets[0]?.attempts, 1);
  assert.match(result.assets[0]?.error ?? '', /asset refused: 550 mailbox does not exist/);
});
