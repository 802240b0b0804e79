/**
 * `duckdag materialize`: plans a selection for one partition and runs it; with `--dry-run` only
 * prints the plan; with `--checks-only` runs the selected assets' checks on what is stored; a range
 * or list of partitions is a backfill (`backfill-run.ts`). Ctrl-C (or SIGTERM) cancels the run:
 * nothing new starts, running assets are interrupted and recorded `cancelled`, and the command exits
 * 130; a second Ctrl-C exits at once (DuckDB rolls back what was not committed).
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { selectAssets, usesStale } from '../kernel/asset-selection.ts';
import { parsePartitionKey, todayPartitionKey } from '../kernel/daily-partitions.ts';
import { ConfigError, SelectionError } from '../kernel/errors.ts';
import { isPartitionSet } from '../kernel/partition-set.ts';
import { outOfDate } from '../kernel/staleness.ts';
import type { RunStatus } from '../kernel/statuses.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { PlanRequest } from '../runtime/run-plan.ts';
import type { Warehouse } from '../../storage/warehouse.ts';
import { cancelOnSignal } from './cancel-on-signal.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { exitCodeOf } from './exit-code.ts';

export function materializeCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'materialize',
    'Materialize assets into the warehouse',
    (command) =>
      command
        .option('select', { alias: 's', type: 'string', default: '*', describe: 'Assets to materialize: name, +name, name+, 2+name, tag:k=v, group:g, stale, *; comma-separated' })
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
        .option('checks-only', { type: 'boolean', default: false, describe: 'Run the checks of the selected assets on their stored rows, materializing nothing' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once (default: number of cores)' }),
    async (args) => {
      if (args['checks-only'] && args['dry-run']) throw new ConfigError('DUCKDAG_USAGE', '--checks-only and --dry-run cannot be used together\nRun `duckdag --help` for usage.');
      if (args.missing || (args.partition !== undefined && isPartitionSet(args.partition))) {
        const { runBackfill } = await import('./backfill-run.ts');
        await runBackfill(session, { ...args, dryRun: args['dry-run'], keepGoing: args['keep-going'] });
        return;
      }
      const partitionKey = args.partition === undefined ? todayPartitionKey() : parsePartitionKey(args.partition);
      const config = await session.config(args, args.concurrency);
      if (args['checks-only']) {
        session.exitCode = exitCodeOf(await cancelOnSignal(session.io, (signal) => checksOnly(session, config, { select: args.select, exclude: args.exclude, partitionKey }, signal, args.json)));
        return;
      }
      const [{ executePlan }, { buildPlan, planRun, warehouseReads }, { createProgressView, describePlan }, { projectCodeVersions, projectStaleness }] = await Promise.all([
        import('../runtime/executor.ts'),
        import('../runtime/run-plan.ts'),
        import('./progress-view.ts'),
        import('./project-staleness.ts'),
      ]);
      const codeVersions = await projectCodeVersions(config, session.io);
      const needsStale = usesStale(args.select) || usesStale(args.exclude);
      /** The request, with what `stale` stands for; null when the selection is `stale` and nothing is. */
      const requestOn = async (warehouse: Warehouse | null): Promise<PlanRequest | null> => {
        const request = { select: args.select, exclude: args.exclude, partitionKey };
        if (!needsStale) return request;
        const stale = outOfDate((await projectStaleness(config.graph, codeVersions, warehouse === null ? null : await warehouse.connect()))(partitionKey));
        try {
          selectAssets(config.graph, request.select, request.exclude, stale);
        } catch (error) {
          if (!(error instanceof SelectionError && error.code === 'DUCKDAG_SELECTION_EMPTY')) throw error;
          session.io.stderr.write(`nothing to materialize: no asset of "${args.select}" is stale for partition ${partitionKey}\n`);
          return null;
        }
        return { ...request, stale };
      };
      if (args['dry-run']) {
        const exists = existsSync(config.warehousePath);
        const planned = await (exists
          ? session.withWarehouse(config, 'read_only', 'duckdag materialize --dry-run', async (warehouse) => {
              const request = await requestOn(warehouse);
              if (request === null) return null;
              const reads = warehouseReads(config.graph, request);
              const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
              const holdings = reads.length > 0 ? await (await DuckdbAssetStore.open(warehouse, config.kinds)).holdings(reads) : new Set<string>();
              return { request, holdings };
            })
          : requestOn(null).then((request) => (request === null ? null : { request, holdings: new Set<string>() })));
        if (planned === null) return;
        const plan = planRun(config.graph, planned.request, planned.holdings);
        if (args.json) session.writeJson(plan);
        else session.io.stdout.write(`${describePlan(plan)}\n`);
        return;
      }
      const view = args.json ? null : await createProgressView(session.io);
      try {
        const result = await cancelOnSignal(session.io, (signal) =>
          session.withWarehouse(config, 'read_write', 'duckdag materialize', async (warehouse) => {
            const request = await requestOn(warehouse);
            if (request === null) return null;
            const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
            const store = await DuckdbAssetStore.open(warehouse, config.kinds);
            return executePlan(await buildPlan(config.graph, request, store), config.graph, store, {
              force: args.force,
              concurrency: config.concurrency,
              resources: config.resources,
              signal,
              onEvent: view?.onEvent,
              codeVersions,
            });
          }),
        );
        if (result === null) return;
        if (args.json) session.writeJson(result);
        session.exitCode = exitCodeOf(result.status);
      } finally {
        view?.stop();
      }
    },
  );
}

/** `--checks-only`: the selected assets' checks on their stored rows, a line per asset. */
async function checksOnly(session: CliSession, config: ResolvedConfig, request: PlanRequest, signal: AbortSignal, json: boolean): Promise<RunStatus> {
  const [{ checkStoredAssets }, { describeCheckRun, describeStoredChecks }] = await Promise.all([import('../runtime/stored-checks.ts'), import('./check-lines.ts')]);
  const write = (line: string) => session.io.stdout.write(`${line}\n`);
  const result = await session.withStore(config, 'duckdag materialize --checks-only', (store) =>
    checkStoredAssets(config.graph, store, request, {
      resources: config.resources,
      signal,
      onChecked: json ? undefined : (checked) => write(describeStoredChecks(checked)),
    }),
  );
  if (json) session.writeJson(result);
  else write(describeCheckRun(result));
  return result.status;
}
