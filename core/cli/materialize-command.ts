/**
 * `duckdag materialize`: plans a selection for one partition and runs it, or with `--dry-run` only
 * prints the plan, or with `--checks-only` runs the selected assets' checks on what is stored. Ctrl-C (or SIGTERM) cancels the run: nothing new starts, running assets are
 * interrupted and recorded `cancelled`, and the command exits 130; a second Ctrl-C exits at once
 * (DuckDB rolls back what was not committed).
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { selectAssets, usesStale } from '../kernel/asset-selection.ts';
import { parsePartitionKey, todayPartitionKey } from '../kernel/daily-partitions.ts';
import { ConfigError, SelectionError } from '../kernel/errors.ts';
import { outOfDate } from '../kernel/staleness.ts';
import type { RunStatus } from '../kernel/statuses.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { PlanRequest } from '../runtime/run-plan.ts';
import type { Warehouse } from '../../storage/warehouse.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';

export function materializeCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'materialize',
    'Materialize assets into the warehouse',
    (command) =>
      command
        .option('select', { alias: 's', type: 'string', default: '*', describe: 'Assets to materialize: name, +name, name+, 2+name, tag:k=v, group:g, stale, *; comma-separated' })
        .option('exclude', { alias: 'x', type: 'string', describe: 'Assets to leave out, same syntax' })
        .option('partition', { alias: 'p', type: 'string', describe: 'Partition date YYYY-MM-DD (default: today, UTC)' })
        .option('force', { type: 'boolean', default: false, describe: 'Redo side effects already done for the partition (e.g. send the email again)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (what would run, and what it reads) without running it' })
        .option('checks-only', { type: 'boolean', default: false, describe: 'Run the checks of the selected assets on their stored rows, materializing nothing' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once (default: number of cores)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? todayPartitionKey() : parsePartitionKey(args.partition);
      if (args['checks-only'] && args['dry-run']) throw new ConfigError('DUCKDAG_USAGE', '--checks-only and --dry-run cannot be used together\nRun `duckdag --help` for usage.');
      const config = await session.config(args, args.concurrency);
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
        const stale = outOfDate(await projectStaleness(config.graph, codeVersions, warehouse, partitionKey));
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
      const view = args.json || args['checks-only'] ? null : await createProgressView(session.io);
      const controller = new AbortController();
      const cancel = () => {
        if (controller.signal.aborted) process.exit(ExitCode.cancelled);
        session.io.stderr.write('cancelling: no new asset starts, running ones are interrupted (Ctrl-C again to exit now)\n');
        controller.abort();
      };
      process.on('SIGINT', cancel);
      process.on('SIGTERM', cancel);
      try {
        if (args['checks-only']) {
          session.exitCode = exitCodeOf(await checksOnly(session, config, { select: args.select, exclude: args.exclude, partitionKey }, controller.signal, args.json));
          return;
        }
        const result = await session.withWarehouse(config, 'read_write', 'duckdag materialize', async (warehouse) => {
          const request = await requestOn(warehouse);
          if (request === null) return null;
          const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
          const store = await DuckdbAssetStore.open(warehouse, config.kinds);
          return executePlan(await buildPlan(config.graph, request, store), config.graph, store, {
            force: args.force,
            concurrency: config.concurrency,
            resources: config.resources,
            signal: controller.signal,
            onEvent: view?.onEvent,
            codeVersions,
          });
        });
        if (result === null) return;
        if (args.json) session.writeJson(result);
        session.exitCode = exitCodeOf(result.status);
      } finally {
        view?.stop();
        process.off('SIGINT', cancel);
        process.off('SIGTERM', cancel);
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

function exitCodeOf(status: RunStatus): ExitCode {
  return status === 'succeeded' ? ExitCode.ok : status === 'cancelled' ? ExitCode.cancelled : ExitCode.assetFailed;
}
