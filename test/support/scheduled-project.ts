/**
 * A fixture project with a schedule: `sales` (daily partitions; fails for the days in FAIL_ON,
 * waits for the run to be cancelled when HOLD=1) → `alert` (a value that "sends" at most once per
 * day by appending the day to SENT_LOG, and hangs after sending when HOLD_AFTER_SEND=1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreIndex } from './fixture-project.ts';

export function scheduledProjectConfig(schedule: Record<string, unknown>): string {
  return `
import { appendFileSync } from 'node:fs';
import { dailyPartitions, defineConfig, sql, tableAsset, valueAsset } from ${JSON.stringify(coreIndex)};

const sales = tableAsset({
  name: 'sales',
  partitions: dailyPartitions('day'),
  materialize: async (_, ctx) => {
    if ((process.env.FAIL_ON ?? '').split(',').includes(ctx.partitionKey)) throw new Error('no sales file for ' + ctx.partitionKey);
    if (process.env.HOLD === '1') {
      ctx.log('holding the warehouse');
      const alive = setInterval(() => undefined, 1000);
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped while holding')))).finally(() => clearInterval(alive));
    }
    await ctx.output.createAs(sql\`SELECT CAST(\${ctx.partitionKey} AS DATE) AS day, range AS amount FROM range(3)\`);
  },
});
const alert = valueAsset({
  name: 'alert',
  deps: { sales },
  partitions: dailyPartitions('day'),
  compute: async (_, ctx) => {
    const previous = await ctx.previousValue();
    if (previous !== null && !ctx.force) return previous;
    appendFileSync(process.env.SENT_LOG, ctx.partitionKey + '\\n');
    if (process.env.HOLD_AFTER_SEND === '1') {
      ctx.log('sent, holding');
      await new Promise(() => setInterval(() => undefined, 1000));
    }
    return { sentFor: ctx.partitionKey };
  },
});
export default defineConfig({ assets: [sales, alert], schedules: [${JSON.stringify(schedule)}] });
`;
}

/** Changes the code of `alert` in the project's config (what it returns), as a person editing it would. */
export function editAlertCode(dir: string): void {
  const path = join(dir, 'duckdag.config.ts');
  writeFileSync(path, readFileSync(path, 'utf8').replace('{ sentFor: ctx.partitionKey }', '{ sentOn: ctx.partitionKey }'));
}

/** Each asset's state at each partition in `status --json`, as `asset@partition: state (causes)`. */
export function statesOf(statusJson: string): string[] {
  return (JSON.parse(statusJson) as { asset: string; partition_key: string; state: string; causes: string }[]).map(
    (row) => `${row.asset}@${row.partition_key}: ${row.state}${row.causes === '' ? '' : ` (${row.causes})`}`,
  );
}
