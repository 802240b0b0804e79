/**
 * Runs a selection: plans it in topological order, runs independent assets in parallel up to the
 * concurrency bound, retries per policy, skips downstream of empty assets, fails only the downstream
 * of a failed one, and records every outcome in the warehouse's history.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import pLimit from 'p-limit';
import {
  hasMaterialization,
  markInterruptedRuns,
  MaterializationStatus,
  recordMaterialization,
  recordRunEnd,
  recordRunStart,
  RunStatus,
} from '../storage/run-history.ts';
import { countRows, partitionRows } from '../storage/table-swap.ts';
import { AssetTransaction } from '../storage/asset-transaction.ts';
import { connectionReader } from '../storage/statement-reader.ts';
import { readValue } from '../storage/value-store.ts';
import type { Warehouse } from '../storage/warehouse.ts';
import type { AnyAssetDefinition, TableRef } from './asset-definition.ts';
import type { AssetGraph } from './asset-graph.ts';
import { selectAssets } from './asset-selection.ts';
import { describeError } from './errors.ts';
import { materializeAsset } from './materialize-asset.ts';
import { withRetries } from './retry-policy.ts';
import type { AssetResult, RunEvent, RunResult } from './run-result.ts';
import { newRunId } from './run-id.ts';
import { identifier, Sql } from './sql.ts';
import { isEmptyValue } from './value-asset.ts';

export interface MaterializeOptions {
  readonly select: string;
  readonly exclude?: string;
  /** The run's partition, `YYYY-MM-DD`; unpartitioned assets ignore it. */
  readonly partitionKey: string;
  readonly force: boolean;
  /** Most assets running at once. */
  readonly concurrency: number;
  readonly onEvent?: (event: RunEvent) => void;
  /** Aborting it stops starting assets and interrupts the running ones. */
  readonly signal?: AbortSignal;
}

/** How an upstream asset stands for a downstream one. */
type UpstreamState =
  | { readonly kind: 'ready'; readonly input: unknown }
  | { readonly kind: 'empty'; readonly root: string; readonly input: unknown }
  | { readonly kind: 'failed'; readonly root: string }
  | { readonly kind: 'skipped'; readonly root: string };

interface Settled {
  readonly result: AssetResult;
  /** What the asset means for its downstream. */
  readonly state: UpstreamState;
}

/**
 * Materializes the selected assets into the warehouse (opened read-write by the caller).
 * Resolves with a result per asset; rejects only when the selection or the warehouse itself fails.
 */
export async function materialize(graph: AssetGraph, warehouse: Warehouse, options: MaterializeOptions): Promise<RunResult> {
  const names = selectAssets(graph, options.select, options.exclude);
  const runId = newRunId();
  const startedAt = new Date();
  const emit = options.onEvent ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  const control = await warehouse.connect();
  await markInterruptedRuns(control);
  await recordRunStart(control, {
    runId,
    startedAt,
    selection: options.select,
    exclude: options.exclude ?? null,
    partitionKey: options.partitionKey,
    force: options.force,
  });
  emit({ type: 'run_started', runId, partitionKey: options.partitionKey, assets: names });

  const pool = new ConnectionPool(warehouse);
  const limit = pLimit(Math.max(1, options.concurrency));
  const historyWrites = pLimit(1);
  const settled = new Map<string, Promise<Settled>>();
  const partitionOf = (asset: AnyAssetDefinition) => (asset.partitions === null ? null : options.partitionKey);

  const runOne = async (name: string): Promise<Settled> => {
    const asset = graph.get(name);
    const inPlan = await Promise.all(graph.parents(name).filter((parent) => settled.has(parent)).map((parent) => settled.get(parent)!));
    const blocked = blockingUpstream(asset, inPlan.map((upstream) => [upstream.result.asset, upstream.state] as const));
    if (blocked !== null) {
      return finish(notRun(asset, partitionOf(asset), blocked.status, blocked.reason), blocked.state);
    }
    return limit(async () => {
      const connection = await pool.acquire();
      try {
        return await attempt(asset, connection, new Map(inPlan.map((upstream) => [upstream.result.asset, upstream.state])));
      } finally {
        pool.release(connection);
      }
    });
  };

  const attempt = async (asset: AnyAssetDefinition, connection: DuckDBConnection, inPlan: Map<string, UpstreamState>): Promise<Settled> => {
    const partitionKey = partitionOf(asset);
    const startedAt = new Date();
    if (signal.aborted) {
      return finish(failedResult(asset, partitionKey, startedAt, 0, 'the run was interrupted before this asset started'), { kind: 'failed', root: asset.name });
    }
    emit({ type: 'asset_started', asset: asset.name });
    let attempts = 0;
    try {
      const upstream = await resolveUpstream(asset, connection, inPlan);
      const blocked = blockingUpstream(asset, upstream);
      if (blocked !== null) return finish(notRun(asset, partitionKey, blocked.status, blocked.reason), blocked.state);
      const inputs = Object.fromEntries(
        Object.entries(asset.deps).map(([input, dep]) => [input, inputOf(upstream.find(([name]) => name === dep.name)![1])]),
      );
      const stopOnAbort = () => connection.interrupt();
      signal.addEventListener('abort', stopOnAbort);
      try {
        const outcome = await withRetries(
          asset.retry,
          (attemptNumber) => {
            attempts = attemptNumber;
            return materializeAsset(asset, {
              startedAt,
              inputs,
              settings: {
                asset: asset.name,
                runId,
                partitionKey,
                force: options.force,
                attempt: attemptNumber,
                signal,
                transaction: new AssetTransaction(connection),
                log: (message) => emit({ type: 'asset_log', asset: asset.name, message }),
              },
            });
          },
          (error, attemptNumber) => emit({ type: 'asset_retrying', asset: asset.name, attempt: attemptNumber, error: describeError(error) }),
        );
        const result: AssetResult = {
          asset: asset.name,
          status: MaterializationStatus.materialized,
          partitionKey,
          rowCount: outcome.rowCount,
          empty: outcome.empty,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          attempts,
          error: null,
          reason: null,
          metadata: outcome.metadata,
        };
        const input = asset.kind === 'table' ? tableRef(asset, partitionKey) : outcome.value;
        return finish(result, outcome.empty ? { kind: 'empty', root: asset.name, input } : { kind: 'ready', input }, false);
      } finally {
        signal.removeEventListener('abort', stopOnAbort);
      }
    } catch (error) {
      const message = signal.aborted ? `interrupted: ${describeError(error)}` : describeError(error);
      return finish(failedResult(asset, partitionKey, startedAt, attempts, message), { kind: 'failed', root: asset.name });
    }
  };

  const finish = async (result: AssetResult, state: UpstreamState, record = true): Promise<Settled> => {
    if (record) {
      await historyWrites(() => recordMaterialization(control, {
        runId,
        asset: result.asset,
        partitionKey: result.partitionKey,
        status: result.status,
        rowCount: result.rowCount,
        startedAt: new Date(result.startedAt),
        finishedAt: new Date(),
        attempts: result.attempts,
        error: result.error,
        reason: result.reason,
        metadata: result.metadata,
      }));
    }
    emit({ type: 'asset_finished', result });
    return { result, state };
  };

  const resolveUpstream = async (
    asset: AnyAssetDefinition,
    connection: DuckDBConnection,
    inPlan: Map<string, UpstreamState>,
  ): Promise<(readonly [string, UpstreamState])[]> => {
    const states: (readonly [string, UpstreamState])[] = [];
    for (const dep of Object.values(asset.deps)) {
      states.push([dep.name, inPlan.get(dep.name) ?? (await storedUpstream(asset, dep, connection))]);
    }
    return states;
  };

  const storedUpstream = async (asset: AnyAssetDefinition, dep: AnyAssetDefinition, connection: DuckDBConnection): Promise<UpstreamState> => {
    const partitionKey = partitionOf(dep);
    if (!(await hasMaterialization(connection, dep.name, partitionKey))) {
      throw new Error(
        `asset ${asset.name}: upstream ${dep.name} is not selected and has no materialization${partitionKey === null ? '' : ` for partition ${partitionKey}`} in the warehouse; select it too (--select +${asset.name})`,
      );
    }
    if (dep.kind === 'table') {
      const ref = tableRef(dep, partitionKey);
      const empty = (await countRows(connectionReader(connection), ref.partition)) === 0;
      return empty ? { kind: 'empty', root: dep.name, input: ref } : { kind: 'ready', input: ref };
    }
    const input = await storedValue(connection, dep, partitionKey);
    return isEmptyValue(input) ? { kind: 'empty', root: dep.name, input } : { kind: 'ready', input };
  };

  for (const name of names) settled.set(name, runOne(name));
  const results = (await Promise.all(names.map((name) => settled.get(name)!))).map((one) => one.result);
  const failed = results.some((result) => result.status === 'failed' || result.status === 'upstream_failed');
  const status = signal.aborted ? RunStatus.interrupted : failed ? RunStatus.failed : RunStatus.succeeded;
  await recordRunEnd(control, runId, status);
  const finishedAt = new Date();
  const result: RunResult = {
    runId,
    status,
    partitionKey: options.partitionKey,
    selection: options.select,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    assets: results,
  };
  emit({ type: 'run_finished', result });
  return result;
}

/** Whether an upstream state keeps the asset from running, and how it is then reported. */
function blockingUpstream(
  asset: AnyAssetDefinition,
  upstream: readonly (readonly [string, UpstreamState])[],
): { status: MaterializationStatus; reason: string; state: UpstreamState } | null {
  const sorted = [...upstream].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [, state] of sorted) {
    if (state.kind === 'failed') {
      return { status: MaterializationStatus.upstreamFailed, reason: `upstream ${state.root} failed`, state };
    }
  }
  if (asset.onUpstreamEmpty === 'run') return null;
  for (const [, state] of sorted) {
    if (state.kind === 'empty' || state.kind === 'skipped') {
      return {
        status: MaterializationStatus.skipped,
        reason: `upstream ${state.root} is empty`,
        state: { kind: 'skipped', root: state.root },
      };
    }
  }
  return null;
}

function inputOf(state: UpstreamState | undefined): unknown {
  return state !== undefined && 'input' in state ? state.input : null;
}

function tableRef(asset: AnyAssetDefinition, partitionKey: string | null): TableRef {
  const table = identifier(asset.name);
  const ref = new Sql(table.text) as Sql & { name: string; partition: Sql };
  ref.name = asset.name;
  ref.partition =
    asset.partitions === null || partitionKey === null ? table : partitionRows(asset.name, asset.partitions.column, partitionKey);
  return ref;
}

async function storedValue(connection: DuckDBConnection, asset: AnyAssetDefinition, partitionKey: string | null): Promise<unknown> {
  const stored = await readValue(connectionReader(connection), asset.name, partitionKey);
  return stored.found ? stored.value : null;
}

function notRun(asset: AnyAssetDefinition, partitionKey: string | null, status: MaterializationStatus, reason: string): AssetResult {
  return {
    asset: asset.name,
    status,
    partitionKey,
    rowCount: null,
    empty: false,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    attempts: 0,
    error: null,
    reason,
    metadata: {},
  };
}

function failedResult(asset: AnyAssetDefinition, partitionKey: string | null, startedAt: Date, attempts: number, error: string): AssetResult {
  return {
    asset: asset.name,
    status: MaterializationStatus.failed,
    partitionKey,
    rowCount: null,
    empty: false,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    attempts,
    error,
    reason: null,
    metadata: {},
  };
}

/** Connections of the command's one DuckDB instance, reused across assets; the warehouse closes them. */
class ConnectionPool {
  readonly #warehouse: Warehouse;
  readonly #idle: DuckDBConnection[] = [];

  constructor(warehouse: Warehouse) {
    this.#warehouse = warehouse;
  }

  async acquire(): Promise<DuckDBConnection> {
    return this.#idle.pop() ?? (await this.#warehouse.connect());
  }

  release(connection: DuckDBConnection): void {
    this.#idle.push(connection);
  }
}
