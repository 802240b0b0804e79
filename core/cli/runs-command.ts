/** `duckdag runs`: recent runs, newest first. */
import type { Argv } from 'yargs';
import { ConfigError } from '../kernel/errors.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function runsCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'runs',
    'List recent runs',
    (command) => command.option('limit', { alias: 'n', type: 'number', default: 20, describe: 'How many runs' }),
    async (args) => {
      if (!Number.isInteger(args.limit) || args.limit < 1) {
        throw new ConfigError('DUCKDAG_OPTION_INVALID', `--limit must be a positive integer, got ${args.limit}`);
      }
      const config = await session.config(args);
      const [{ recentRuns }, { writeRows }] = await Promise.all([import('../../storage/history-queries.ts'), import('./write-rows.ts')]);
      const rows = await session.withWarehouse(config, 'read_only', 'duckdag runs', async (warehouse) =>
        recentRuns(await warehouse.connect(), args.limit),
      );
      writeRows(session.io, rows, args.json ? 'json' : 'table');
    },
  );
}
