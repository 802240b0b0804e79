/** `duckdag status`: the latest materialization of each asset and partition. */
import type { Argv } from 'yargs';
import { parsePartitionKey } from '../kernel/daily-partitions.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function statusCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'status',
    'Show the latest materialization of each asset and partition',
    (command) => command.option('partition', { alias: 'p', type: 'string', describe: 'Only this partition (YYYY-MM-DD)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? undefined : parsePartitionKey(args.partition);
      const config = await session.config(args);
      const [{ latestMaterializations }, { writeRows }] = await Promise.all([import('../../storage/history-queries.ts'), import('./write-rows.ts')]);
      const rows = await session.withWarehouse(config, 'read_only', 'duckdag status', async (warehouse) =>
        latestMaterializations(await warehouse.connect(), { partitionKey }),
      );
      writeRows(session.io, rows, args.json ? 'json' : 'table');
    },
  );
}
