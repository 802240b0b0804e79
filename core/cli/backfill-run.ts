/**
 * `duckdag materialize --partition 2026-11-01..2026-11-20` (or a list, or `--missing`): a backfill,
 * one run per partition in date order on one opening of the warehouse. `--missing` leaves out the
 * partitions already done; a failed partition stops the rest unless `--keep-going`; `--dry-run`
 * prints the plan of each partition.
 */
import { existsSync } from 'node:fs';
import { selectAssets } from '../kernel/asset-selection.ts';
import { parsePartitionKey, todayPartitionKey } from '../kernel/daily-partitions.ts';
import { ConfigError } from '../kernel/errors.ts';
import { isPartitionSet, parsePartitionSet } from '../kernel/partition-set.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import { holdingKey, type AssetStore } from '../runtime/asset-store.ts';
import { backfill } from '../runtime/backfill.ts';
import { completedPartitions } from '../runtime/partition-completion.ts';
import { planRun, warehouseReads } from '../runtime/run-plan.ts';
import { BackfillProgress, describeBackfill } from './backfill-view.ts';
import { cancelOnSignal } from './cancel-on-signal.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { exitCodeOf } from './exit-code.ts';
import { createProgressView, describePlan, type ProgressView } from './progress-view.ts';
import { projectCodeVersions } from './project-staleness.ts';

export interface BackfillArgs extends GlobalOptions {
  readonly select: string;
  readonly exclude?: string;
  readonly partition?: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly concurrency?: number;
  readonly missing: boolean;
  readonly keepGoing: boolean;
}

export async function runBackfill(session: CliSession, args: BackfillArgs): Promise<void> {
  const text = args.partition ?? todayPartitionKey();
  const keys = isPartitionSet(text) ? parsePartitionSet(text) : [parsePartitionKey(text)];
  const config = await session.config(args, args.concurrency);
  const assets = selectAssets(config.graph, args.select, args.exclude);
  if (!assets.some((asset) => config.graph.get(asset).partitions !== null)) {
    throw new ConfigError(
      'DUCKDAG_PARTITION_INVALID',
      `the selection "${args.select}" has no partitioned asset: a backfill over partitions would run the same assets ${keys.length} times`,
    );
  }
  const { io } = session;
  if (args.dryRun) {
    const known = existsSync(config.warehousePath)
      ? await session.withWarehouse(config, 'read_only', 'duckdag materialize --dry-run', async (warehouse) => {
          const { DuckdbAssetStore } = await import('../../storage/duckdb-asset-store.ts');
          return whatIsStored(config, await DuckdbAssetStore.open(warehouse, config.kinds), assets, keys, args);
        })
      : { done: new Set<string>(), holdings: new Set<string>() };
    const todo = keys.filter((key) => !known.done.has(key));
    const plans = todo.map((partitionKey) => planRun(config.graph, { select: args.select, exclude: args.exclude, partitionKey }, known.holdings));
    if (args.json) {
      session.writeJson({ partitions: todo, alreadyDone: keys.filter((key) => known.done.has(key)), plans });
      return;
    }
    io.stdout.write(`${headline(keys, todo)}\n`);
    for (const plan of plans) io.stdout.write(`${describePlan(plan)}\n`);
    return;
  }
  const codeVersions = await projectCodeVersions(config, io);
  const result = await cancelOnSignal(io, (signal) =>
    session.withStore(config, 'duckdag materialize (backfill)', async (store) => {
      const { done } = await whatIsStored(config, store, assets, keys, args);
      const todo = keys.filter((key) => !done.has(key));
      const progress = new BackfillProgress(todo.length);
      if (!args.json) io.stdout.write(`${headline(keys, todo)}\n`);
      let view = null as ProgressView | null;
      try {
        return await backfill(config.graph, store, {
          select: args.select,
          exclude: args.exclude,
          partitionKeys: todo,
          keepGoing: args.keepGoing,
          force: args.force,
          concurrency: config.concurrency,
          resources: config.resources,
          codeVersions,
          signal,
          onEvent: (event) => view?.onEvent(event),
          onBackfillEvent: async (event) => {
            if (args.json) return;
            const line = progress.line(event);
            if (line !== null) io.stdout.write(`${line}\n`);
            view?.stop();
            view = event.type === 'partition_started' ? await createProgressView(io, () => progress.context()) : null;
          },
        });
      } finally {
        view?.stop();
      }
    }),
  );
  if (args.json) {
    session.writeJson(result);
  } else {
    const notRun = result.partitions.filter((partition) => partition.status === 'not_run');
    if (notRun.length > 0) io.stdout.write(`not run: ${notRun.map((partition) => partition.partitionKey).join(', ')} (${notRun[0]!.error})\n`);
    io.stdout.write(`${describeBackfill(result)}\n`);
  }
  session.exitCode = exitCodeOf(result.status);
}

/** Which partitions are already done (with `--missing`), and which upstream partitions the warehouse holds. */
async function whatIsStored(
  config: ResolvedConfig,
  store: Pick<AssetStore, 'holdings' | 'latestOutcomes'>,
  assets: readonly string[],
  keys: readonly string[],
  args: BackfillArgs,
): Promise<{ done: ReadonlySet<string>; holdings: ReadonlySet<string> }> {
  const done = args.missing ? await completedPartitions(config.graph, assets, keys, store) : new Set<string>();
  const reads = keys.flatMap((partitionKey) => warehouseReads(config.graph, { select: args.select, exclude: args.exclude, partitionKey }));
  const unique = [...new Map(reads.map((read) => [holdingKey(read), read])).values()];
  return { done, holdings: await store.holdings(unique) };
}

function headline(keys: readonly string[], todo: readonly string[]): string {
  const range = keys.length === 1 ? keys[0] : `${keys[0]}..${keys.at(-1)}`;
  const left = keys.length - todo.length;
  return `backfill: ${todo.length} of ${keys.length} partitions (${range})${left > 0 ? `; ${left} already materialized, left out (--missing)` : ''}`;
}
