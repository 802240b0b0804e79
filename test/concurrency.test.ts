import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { tempWarehouse } from './support/temp-warehouse.ts';

test('the executor never runs more than `concurrency` assets at once, and does run that many', async (t) => {
  const warehouse = tempWarehouse(t);
  let running = 0;
  let most = 0;
  const assets = Array.from({ length: 9 }, (_, index) =>
    valueAsset({
      name: `slow_${index}`,
      compute: async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(40);
        running -= 1;
        return index;
      },
    }),
  );
  const result = await warehouse.run(assets, { concurrency: 3 });
  assert.equal(result.status, 'succeeded');
  assert.equal(most, 3);
});
