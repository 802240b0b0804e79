/** `duckdag query "SQL"`: runs SQL on a read-only warehouse and prints the result. */
import type { Argv } from 'yargs';
import { ConfigError, describeError, DuckdagError } from '../kernel/errors.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function queryCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'query <sql>',
    'Run read-only SQL on the warehouse',
    (command) =>
      command
        .positional('sql', { type: 'string', demandOption: true, describe: 'The SQL to run' })
        .option('csv', { type: 'boolean', default: false, describe: 'Print CSV' }),
    async (args) => {
      if (args.csv && args.json) throw new ConfigError('DUCKDAG_OPTION_INVALID', 'choose one of --csv and --json');
      const config = await session.config(args);
      const [{ runReadOnlyQuery }, { writeRows }] = await Promise.all([import('../../storage/read-only-query.ts'), import('./write-rows.ts')]);
      const rows = await session.withWarehouse(config, 'read_only', 'duckdag query', async (warehouse) => {
        try {
          return await runReadOnlyQuery(await warehouse.connect(), args.sql, { localFiles: true });
        } catch (error) {
          if (error instanceof DuckdagError) throw error;
          throw new DuckdagError('DUCKDAG_QUERY_FAILED', `query failed: ${describeError(error)}`, { cause: error, exitCode: 2 });
        }
      });
      writeRows(session.io, rows, args.json ? 'json' : args.csv ? 'csv' : 'table');
    },
  );
}
