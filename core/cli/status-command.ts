/**
 * `duckdag status`: the latest materialization of each asset and partition, with its checks; under
 * the table, each check that did not pass, with sample failing rows.
 */
import type { Argv } from 'yargs';
import { parsePartitionKey } from '../kernel/daily-partitions.ts';
import type { CheckResult } from '../runtime/check-result.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function statusCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'status',
    'Show the latest materialization of each asset and partition, and its checks',
    (command) => command.option('partition', { alias: 'p', type: 'string', describe: 'Only this partition (YYYY-MM-DD)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? undefined : parsePartitionKey(args.partition);
      const config = await session.config(args);
      const [{ latestCheckResults, latestMaterializations }, { writeRows }, { checksSummary, failedCheckLines }] = await Promise.all([
        import('../../storage/history-queries.ts'),
        import('./write-rows.ts'),
        import('./check-lines.ts'),
      ]);
      const { latest, checks } = await session.withWarehouse(config, 'read_only', 'duckdag status', async (warehouse) => {
        const connection = await warehouse.connect();
        return { latest: await latestMaterializations(connection, { partitionKey }), checks: await latestCheckResults(connection, { partitionKey }) };
      });
      const asset = latest.columns.indexOf('asset');
      const partition = latest.columns.indexOf('partition_key');
      const checksOf = (row: readonly unknown[]): CheckResult[] => checks.filter((check) => check.asset === row[asset] && check.partitionKey === row[partition]);
      if (args.json) {
        writeRows(session.io, { columns: [...latest.columns, 'checks'], rows: latest.rows.map((row) => [...row, checksOf(row)]) }, 'json');
        return;
      }
      const summary = (row: readonly unknown[]) => checksSummary(checksOf(row)).replace(/^ · /, '');
      writeRows(session.io, { columns: [...latest.columns, 'checks'], rows: latest.rows.map((row) => [...row, summary(row)]) }, 'table');
      const failed = checks.filter((check) => !check.passed);
      if (failed.length > 0) session.io.stdout.write('\nchecks that did not pass:\n');
      for (const check of failed) {
        session.io.stdout.write(`${check.asset}${check.partitionKey === null ? '' : ` [${check.partitionKey}]`}\n${failedCheckLines([check], 3).join('\n')}\n`);
      }
    },
  );
}
