/**
 * A backfill: one run per partition, oldest first, each planned and executed as `materialize` does
 * for one partition. Partitions run one after another, not side by side: each run already runs its
 * independent assets in parallel on the warehouse's one writer, and in order a failure stops the
 * days after it (unless `keepGoing`) and side effects such as emails happen in date order.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { CancelledError, describeError, DuckdagError } from '../kernel/errors.ts';
import { RunStatus } from '../kernel/statuses.ts';
import type { AssetStore } from './asset-store.ts';
import { executePlan, type ExecuteOptions } from './executor.ts';
import type { RunResult } from './run-result.ts';
import { buildPlan } from './run-plan.ts';

export interface BackfillOptions extends ExecuteOptions {
  readonly select: string;
  readonly exclude?: string;
  /** Oldest first. */
  readonly partitionKeys: readonly string[];
  /** Go on with the next partitions after one fails. */
  readonly keepGoing: boolean;
  /** Awaited before the backfill goes on. */
  readonly onBackfillEvent?: (event: BackfillEvent) => void | Promise<void>;
}

/** How one partition of a backfill ended. */
export interface PartitionOutcome {
  readonly partitionKey: string;
  /** `not_run`: after a failure without `keepGoing`, or after the backfill was cancelled. */
  readonly status: RunStatus | 'not_run';
  readonly runId: string | null;
  /** Why it did not run, or failed before its run started (an upstream never materialized). */
  readonly error: string | null;
}

export interface BackfillResult {
  /** `succeeded` when every partition did; `cancelled` when it was cancelled; else `failed`. */
  readonly status: RunStatus;
  readonly partitions: readonly PartitionOutcome[];
  readonly runs: readonly RunResult[];
  readonly durationMs: number;
}

export type BackfillEvent =
  | { readonly type: 'partition_started'; readonly partitionKey: string; readonly index: number; readonly total: number }
  | { readonly type: 'partition_finished'; readonly outcome: PartitionOutcome; readonly index: number; readonly total: number; readonly durationMs: number };

export async function backfill(graph: AssetGraph, store: AssetStore, options: BackfillOptions): Promise<BackfillResult> {
  const started = Date.now();
  const partitions: PartitionOutcome[] = [];
  const runs: RunResult[] = [];
  const total = options.partitionKeys.length;
  let stopped: string | null = null;
  for (const [index, partitionKey] of options.partitionKeys.entries()) {
    if (stopped === null && options.signal?.aborted === true) stopped = 'the backfill was cancelled';
    if (stopped !== null) {
      partitions.push({ partitionKey, status: 'not_run', runId: null, error: stopped });
      continue;
    }
    await options.onBackfillEvent?.({ type: 'partition_started', partitionKey, index, total });
    const partitionStarted = Date.now();
    const outcome = await runPartition(graph, store, options, partitionKey, (result) => runs.push(result));
    partitions.push(outcome);
    await options.onBackfillEvent?.({ type: 'partition_finished', outcome, index, total, durationMs: Date.now() - partitionStarted });
    if (outcome.status === RunStatus.cancelled) stopped = 'the backfill was cancelled';
    else if (outcome.status === RunStatus.failed && !options.keepGoing) stopped = `partition ${partitionKey} failed (--keep-going runs the rest anyway)`;
  }
  const statuses = partitions.map((partition) => partition.status);
  const status =
    options.signal?.aborted === true || statuses.includes(RunStatus.cancelled)
      ? RunStatus.cancelled
      : statuses.every((one) => one === RunStatus.succeeded)
        ? RunStatus.succeeded
        : RunStatus.failed;
  return { status, partitions, runs, durationMs: Date.now() - started };
}

async function runPartition(
  graph: AssetGraph,
  store: AssetStore,
  options: BackfillOptions,
  partitionKey: string,
  onRun: (result: RunResult) => void,
): Promise<PartitionOutcome> {
  try {
    const plan = await buildPlan(graph, { select: options.select, exclude: options.exclude, partitionKey }, store);
    const result = await executePlan(plan, graph, store, options);
    onRun(result);
    return { partitionKey, status: result.status, runId: result.runId, error: null };
  } catch (error) {
    // Refused before its run started: an upstream this partition lacks, a resource the config lacks.
    if (!(error instanceof DuckdagError) || error instanceof CancelledError) throw error;
    return { partitionKey, status: RunStatus.failed, runId: null, error: describeError(error) };
  }
}
