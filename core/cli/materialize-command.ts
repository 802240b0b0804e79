/** `duckdag materialize`: materializes a selection of assets for one partition. */
import type { Argv } from 'yargs';
import { parsePartitionKey, todayPartitionKey } from '../daily-partitions.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';

export function materializeCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'materialize',
    'Materialize assets into the warehouse',
    (command) =>
      command
        .option('select', { alias: 's', type: 'string', default: '*', describe: 'Assets to materialize: name, +name, name+, 2+name, tag:k=v, group:g, *; comma-separated' })
        .option('exclude', { alias: 'x', type: 'string', describe: 'Assets to leave out, same syntax' })
        .option('partition', { alias: 'p', type: 'string', describe: 'Partition date YYYY-MM-DD (default: today, UTC)' })
        .option('force', { type: 'boolean', default: false, describe: 'Redo side effects already done for the partition (e.g. send the email again)' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once (default: number of cores)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? todayPartitionKey() : parsePartitionKey(args.partition);
      const config = await session.config(args, args.concurrency);
      const [{ materialize }, { createProgressView }] = await Promise.all([import('../executor.ts'), import('./progress-view.ts')]);
      const view = args.json ? null : await createProgressView(session.io);
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      try {
        const result = await session.withWarehouse(config, 'read_write', 'duckdag materialize', (warehouse) =>
          materialize(config.graph, warehouse, {
            select: args.select,
            exclude: args.exclude,
            partitionKey,
            force: args.force,
            concurrency: config.concurrency,
            signal: controller.signal,
            onEvent: view?.onEvent,
          }),
        );
        if (args.json) session.writeJson(result);
        session.exitCode = result.status === 'succeeded' ? ExitCode.ok : ExitCode.assetFailed;
      } finally {
        view?.stop();
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    },
  );
}
