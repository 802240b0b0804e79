/**
 * `duckdag materialize`: plans a selection for one partition and runs it, or with `--dry-run` only
 * prints the plan; a range or list of partitions is a backfill (`backfill-run.ts`). Ctrl-C (or SIGTERM) cancels the run: nothing new starts, running assets are
 * interrupted and recorded `cancelled`, and the command exits 130; a second Ctrl-C exits at once
 * (DuckDB rolls back what was not committed).
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { parsePartitionKey, todayPartitionKey } from '../kernel/daily-partitions.ts';
import { isPartitionSet } from '../kernel/partition-set.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { cancelOnSignal } from './cancel-on-signal.ts';
import { exitCodeOf } from './exit-code.ts';

export function materializeCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'materialize',
    'Materialize assets into the warehouse',
    (command) =>
      command
        .option('select', { alias: 's', type: 'string', default: '*', describe: 'Assets to materialize: name, +name, name+, 2+name, tag:k=v, group:g, *; comma-separated' })
        .option('exclude', { alias: 'x', type: 'string', describe: 'Assets to leave out, same syntax' })
        .option('partition', {
          alias: 'p',
          type: 'string',
          describe: 'Partition date YYYY-MM-DD (default: today, UTC); a range FIRST..LAST or a comma-separated list backfills one run per partition',
        })
        .option('missing', { type: 'boolean', default: false, describe: 'Only the partitions not yet materialized (each selected asset materialized or skipped)' })
        .option('keep-going', { type: 'boolean', default: false, describe: 'In a backfill, go on with the next partitions after one fails' })
        .option('force', { type: 'boolean', default: false, describe: 'Redo side effects already done for the partition (e.g. send the email again)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (what would run, and what it reads) without running it' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once (default: number of cores)' }),
    async (args) => {
      if (args.missing || (args.partition !== undefined && isPartitionSet(args.partition))) {
        const { runBackfill } = await import('./backfill-run.ts');
        await runBackfill(session, { ...args, dryRun: args['dry-run'], keepGoing: args['keep-going'] });
        return;
      }
      const request = {
        select: args.select,
        exclude: args.exclude,
        partitionKey: args.partition === undefined ? todayPartitionKey() : parsePartitionKey(args.partition),
      };
      const config = await session.config(args, args.concurrency);
      const [{ executePlan }, { buildPlan, planRun, warehouseReads }, { createProgressView, describePlan }] = await Promise.all([
        import('../runtime/executor.ts'),
        import('../runtime/run-plan.ts'),
        import('./progress-view.ts'),
      ]);
      if (args['dry-run']) {
        const reads = warehouseReads(config.graph, request);
        const holdings =
          reads.length > 0 && existsSync(config.warehousePath)
            ? await session.withWarehouse(config, 'read_only', 'duckdag materialize --dry-run', async (warehouse) => {
                const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
                return (await DuckdbAssetStore.open(warehouse, config.kinds)).holdings(reads);
              })
            : new Set<string>();
        const plan = planRun(config.graph, request, holdings);
        if (args.json) session.writeJson(plan);
        else session.io.stdout.write(`${describePlan(plan)}\n`);
        return;
      }
      const view = args.json ? null : await createProgressView(session.io);
      try {
        const result = await cancelOnSignal(session.io, (signal) =>
          session.withStore(config, 'duckdag materialize', async (store) =>
            executePlan(await buildPlan(config.graph, request, store), config.graph, store, {
              force: args.force,
              concurrency: config.concurrency,
              resources: config.resources,
              signal,
              onEvent: view?.onEvent,
            }),
          ),
        );
        if (args.json) session.writeJson(result);
        session.exitCode = exitCodeOf(result.status);
      } finally {
        view?.stop();
      }
    },
  );
}
