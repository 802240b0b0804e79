/**
 * Checks on stored data (`materialize --checks-only`): the checks of the selected assets run on
 * what the warehouse holds for the partition, recorded as a run of their own; nothing is
 * materialized. Like a run, it resolves with what happened and does not reject because a check failed.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { selectAssets } from '../kernel/asset-selection.ts';
import { CancelledError, describeError, PlanError } from '../kernel/errors.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import { RunStatus } from '../kernel/statuses.ts';
import { holdingKey, type AssetStore } from './asset-store.ts';
import { isBlocking, type CheckResult } from './check-result.ts';
import { checkResources } from './executor.ts';
import type { PlanRequest } from './run-plan.ts';
import { newRunId } from './run-id.ts';
import type { RunSummary } from './run-result.ts';

/** The checks of one asset, or why they could not run. */
export interface StoredChecks {
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly checks: readonly CheckResult[];
  readonly error: string | null;
}

/** Its `status` is `failed` when an `error` check failed or checks could not run. */
export interface CheckRunResult extends RunSummary {
  readonly assets: readonly StoredChecks[];
}

export interface StoredChecksOptions {
  readonly resources?: ResourceValues;
  readonly signal?: AbortSignal;
  /** Hears each asset's results as they come. */
  readonly onChecked?: (checked: StoredChecks) => void;
}

/**
 * Runs the checks of the selected assets that declare some on their stored rows. Throws `PlanError`
 * before anything runs when none declares checks, or when one has nothing stored for the partition.
 */
export async function checkStoredAssets(graph: AssetGraph, store: AssetStore, request: PlanRequest, options: StoredChecksOptions = {}): Promise<CheckRunResult> {
  const names = selectAssets(graph, request.select, request.exclude).filter((name) => graph.get(name).checks.length > 0);
  if (names.length === 0) throw new PlanError('DUCKDAG_NO_CHECKS', `no selected asset declares checks (selection: ${request.select})`);
  const targets = names.map((name) => ({ asset: name, partitionKey: graph.get(name).partitions === null ? null : request.partitionKey }));
  const held = await store.holdings(targets);
  const missing = targets.filter((target) => !held.has(holdingKey(target)));
  if (missing.length > 0) {
    throw new PlanError(
      'DUCKDAG_NOTHING_TO_CHECK',
      missing.map((target) => `asset ${target.asset} has no materialization${target.partitionKey === null ? '' : ` for partition ${target.partitionKey}`} to check`).join('\n'),
    );
  }
  const resources = options.resources ?? {};
  checkResources(names.map((name) => ({ asset: name, resourceKeys: graph.get(name).resourceKeys })), resources);
  const signal = options.signal ?? new AbortController().signal;
  const runId = newRunId();
  const startedAt = new Date();
  await store.history.markInterruptedRuns();
  await store.history.recordRunStart({ runId, startedAt, selection: request.select, exclude: request.exclude ?? null, partitionKey: request.partitionKey, force: false });
  const assets: StoredChecks[] = [];
  let cancelled = false;
  for (const target of targets) {
    if (signal.aborted) {
      cancelled = true;
      break;
    }
    const asset = graph.get(target.asset);
    let checked: StoredChecks;
    try {
      const own = Object.fromEntries(asset.resourceKeys.map((key) => [key, resources[key]]));
      checked = { ...target, checks: await store.checkStored(asset, { runId, partitionKey: target.partitionKey, signal, resources: own }), error: null };
    } catch (error) {
      if (signal.aborted || error instanceof CancelledError) {
        cancelled = true;
        break;
      }
      checked = { ...target, checks: [], error: describeError(error) };
    }
    assets.push(checked);
    options.onChecked?.(checked);
  }
  const failed = assets.some((one) => one.error !== null || one.checks.some(isBlocking));
  const status = cancelled ? RunStatus.cancelled : failed ? RunStatus.failed : RunStatus.succeeded;
  await store.history.recordRunEnd(runId, status);
  const finishedAt = new Date();
  return {
    runId,
    status,
    partitionKey: request.partitionKey,
    selection: request.select,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    assets,
  };
}
