/**
 * Runs a plan: each step once its upstream steps have settled, independent steps in parallel up to
 * the concurrency bound, each try through the retry policy, downstream of an empty asset skipped,
 * downstream of a failed one not run, and nothing new started once the run is cancelled. Every
 * outcome is recorded through the store; a run resolves with a result per asset and never rejects
 * because an asset failed.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { AnyAssetsDefinition } from '../kernel/asset-definition.ts';
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { CancelledError, ConfigError, describeError } from '../kernel/errors.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import { MaterializationStatus, RunStatus } from '../kernel/statuses.ts';
import type { AssetStore, LoadedAsset } from './asset-store.ts';
import { checkFailureReason, isBlocking } from './check-result.ts';
import { buildPlan, type PlanRequest, type PlanStep, type RunPlan } from './run-plan.ts';
import type { AssetResult, RunEvent, RunResult } from './run-result.ts';
import { newRunId } from './run-id.ts';
import { withRetries } from './with-retries.ts';

export interface ExecuteOptions {
  /** Redo side effects already done for the partition (`--force`). */
  readonly force: boolean;
  /** Most assets running at once. */
  readonly concurrency: number;
  /** The config's resources, by key; each asset is handed those it declares. */
  readonly resources?: ResourceValues;
  readonly onEvent?: (event: RunEvent) => void;
  /** Aborting it cancels the run: nothing new starts, running assets are interrupted. */
  readonly signal?: AbortSignal;
  /** Each asset's code version (from static analysis), recorded with its materializations. */
  readonly codeVersions?: ReadonlyMap<string, string>;
  /** The run's id, when the caller records it elsewhere before the run starts (a schedule's tick). */
  readonly runId?: string;
}

export type MaterializeOptions = PlanRequest & ExecuteOptions;

/** Plans the request against what the warehouse holds, then runs the plan. */
export async function materialize(graph: AssetGraph, store: AssetStore, options: MaterializeOptions): Promise<RunResult> {
  return executePlan(await buildPlan(graph, options, store), graph, store, options);
}

/**
 * Runs `plan`. Rejects only before anything runs (a resource the config does not provide) or when
 * the store itself fails.
 */
export async function executePlan(plan: RunPlan, graph: AssetGraph, store: AssetStore, options: ExecuteOptions): Promise<RunResult> {
  const resources = options.resources ?? {};
  checkResources(plan.steps, resources);
  return new PlanExecution(plan, graph, store, options, resources).run();
}

/** Throws `ConfigError` naming every resource that `steps` need and `resources` lack. */
export function checkResources(steps: readonly Pick<PlanStep, 'asset' | 'resourceKeys'>[], resources: ResourceValues): void {
  const missing = steps.flatMap((step) =>
    step.resourceKeys.filter((key) => !Object.hasOwn(resources, key)).map((key) => `asset ${step.asset} needs resource "${key}"`),
  );
  if (missing.length > 0) {
    const provided = Object.keys(resources).sort().join(', ') || 'none';
    throw new ConfigError('DUCKDAG_RESOURCE_MISSING', `${missing.join('; ')}, which the config does not provide (provided: ${provided})`);
  }
}

/** How a settled asset stands for its downstream. */
type UpstreamState =
  | { readonly kind: 'ready' | 'empty'; readonly root: string; readonly input: unknown }
  | { readonly kind: 'failed' | 'skipped' | 'cancelled'; readonly root: string; readonly reason?: string };

interface Settled {
  readonly result: AssetResult;
  readonly state: UpstreamState;
}

/** Why an asset does not run, from the states of its upstream assets. */
interface Blocked {
  readonly status: MaterializationStatus;
  readonly reason: string;
  readonly state: UpstreamState;
}

class PlanExecution {
  readonly #plan: RunPlan;
  readonly #graph: AssetGraph;
  readonly #store: AssetStore;
  readonly #options: ExecuteOptions;
  readonly #resources: ResourceValues;
  readonly #runId: string;
  readonly #signal: AbortSignal;
  readonly #limit: LimitFunction;
  readonly #settled = new Map<string, Promise<Settled>>();
  /** Each asset's place in the graph's topological order. */
  readonly #order: ReadonlyMap<string, number>;
  readonly #projectAssets: ReadonlySet<string>;

  constructor(plan: RunPlan, graph: AssetGraph, store: AssetStore, options: ExecuteOptions, resources: ResourceValues) {
    this.#plan = plan;
    this.#graph = graph;
    this.#store = store;
    this.#options = options;
    this.#resources = resources;
    this.#runId = options.runId ?? newRunId();
    this.#signal = options.signal ?? new AbortController().signal;
    this.#limit = pLimit(Math.max(1, options.concurrency));
    this.#projectAssets = new Set(graph.topologicalOrder);
    this.#order = new Map(graph.topologicalOrder.map((name, index) => [name, index]));
  }

  async run(): Promise<RunResult> {
    const startedAt = new Date();
    const { history } = this.#store;
    await history.markInterruptedRuns();
    await history.recordRunStart({
      runId: this.#runId,
      startedAt,
      selection: this.#plan.selection,
      exclude: this.#plan.exclude,
      partitionKey: this.#plan.partitionKey,
      force: this.#options.force,
    });
    this.#emit({ type: 'run_started', runId: this.#runId, plan: this.#plan });
    for (const step of this.#plan.steps) this.#settled.set(step.asset, this.#step(step));
    const assets = (await Promise.all(this.#plan.steps.map((step) => this.#settled.get(step.asset)!))).map((one) => one.result);
    const status = runStatus(assets);
    await history.recordRunEnd(this.#runId, status);
    const finishedAt = new Date();
    const result: RunResult = {
      runId: this.#runId,
      status,
      partitionKey: this.#plan.partitionKey,
      selection: this.#plan.selection,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      assets,
    };
    this.#emit({ type: 'run_finished', result });
    return result;
  }

  #codeVersion(asset: string): string | null {
    return this.#options.codeVersions?.get(asset) ?? null;
  }

  async #step(step: PlanStep): Promise<Settled> {
    const inRun = await Promise.all([...new Set(step.reads.filter((read) => read.source === 'run').map((read) => read.asset))].map((name) => this.#settled.get(name)!));
    const blocked = blockedBy(this.#graph.get(step.asset), inRun.map((upstream) => [upstream.result.asset, upstream.state] as const), this.#order);
    if (blocked !== null) return this.#notRun(step, new Date(), 0, blocked);
    return this.#limit(() => this.#run(step, new Map(inRun.map((upstream) => [upstream.result.asset, upstream.state]))));
  }

  async #run(step: PlanStep, inRun: ReadonlyMap<string, UpstreamState>): Promise<Settled> {
    const asset = this.#graph.get(step.asset);
    const startedAt = new Date();
    let attempts = 0;
    try {
      if (this.#signal.aborted) throw new CancelledError('the run was cancelled before this asset started');
      this.#emit({ type: 'asset_started', asset: step.asset });
      const upstream = new Map(inRun);
      const inputs: Record<string, unknown> = {};
      for (const read of step.reads) {
        if (read.source === 'run') {
          inputs[read.input] = inputOf(inRun.get(read.asset)!);
        } else if (read.source === 'missing') {
          inputs[read.input] = null;
        } else {
          const loaded = await this.#store.load(this.#graph.get(read.asset), read.partitionKey);
          inputs[read.input] = loaded.input;
          // Another partition of an upstream is context: its emptiness skips nothing.
          if (read.partitionOffset === 0) upstream.set(read.asset, stateOf(read.asset, loaded));
        }
      }
      const blocked = blockedBy(asset, [...upstream], this.#order);
      if (blocked !== null) return await this.#notRun(step, startedAt, 0, blocked);
      const resources = Object.fromEntries(step.resourceKeys.map((key) => [key, this.#resources[key]]));
      const outcome = await withRetries(
        asset.retry,
        this.#signal,
        (attempt) => {
          attempts = attempt;
          return this.#store.materialize(asset, {
            runId: this.#runId,
            partitionKey: step.partitionKey,
            force: this.#options.force,
            attempt,
            startedAt,
            signal: this.#signal,
            log: (message) => this.#emit({ type: 'asset_log', asset: step.asset, message }),
            inputs,
            resources,
            codeVersion: this.#codeVersion(step.asset),
            projectAssets: this.#projectAssets,
          });
        },
        (error, attempt) => this.#emit({ type: 'asset_retrying', asset: step.asset, attempt, error: describeError(error) }),
      );
      const blocking = outcome.checks.find(isBlocking);
      const result: AssetResult = {
        ...resultOf(step, startedAt, attempts),
        status: blocking === undefined ? MaterializationStatus.materialized : MaterializationStatus.checkFailed,
        rowCount: outcome.rowCount,
        empty: outcome.empty,
        metadata: outcome.metadata,
        reason: blocking === undefined ? null : checkFailureReason(blocking),
        checks: outcome.checks,
      };
      this.#emit({ type: 'asset_finished', result });
      // The store has recorded a blocked asset with its check results; downstream does not run.
      if (blocking !== undefined) return { result, state: { kind: 'failed', root: step.asset, reason: result.reason ?? undefined } };
      return { result, state: stateOf(step.asset, outcome) };
    } catch (error) {
      const cancelled = this.#signal.aborted || error instanceof CancelledError;
      return this.#record(
        { ...resultOf(step, startedAt, attempts), status: cancelled ? MaterializationStatus.cancelled : MaterializationStatus.failed, error: describeError(error) },
        { kind: cancelled ? 'cancelled' : 'failed', root: step.asset },
      );
    }
  }

  #notRun(step: PlanStep, startedAt: Date, attempts: number, blocked: Blocked): Promise<Settled> {
    return this.#record({ ...resultOf(step, startedAt, attempts), status: blocked.status, reason: blocked.reason }, blocked.state);
  }

  /** Records an outcome other than a materialization (the store records those with their data). */
  async #record(result: AssetResult, state: UpstreamState): Promise<Settled> {
    await this.#store.history.recordOutcome({
      runId: this.#runId,
      asset: result.asset,
      partitionKey: result.partitionKey,
      status: result.status,
      startedAt: new Date(result.startedAt),
      finishedAt: new Date(),
      attempts: result.attempts,
      error: result.error,
      reason: result.reason,
      codeVersion: this.#codeVersion(result.asset),
      upstream: this.#graph.parents(result.asset),
    });
    this.#emit({ type: 'asset_finished', result });
    return { result, state };
  }

  #emit(event: RunEvent): void {
    this.#options.onEvent?.(event);
  }
}

/** A result with the step's facts and no outcome yet. */
function resultOf(step: PlanStep, startedAt: Date, attempts: number): AssetResult {
  return {
    asset: step.asset,
    status: MaterializationStatus.failed,
    partitionKey: step.partitionKey,
    rowCount: null,
    empty: false,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    attempts,
    error: null,
    reason: null,
    metadata: {},
    checks: [],
  };
}

function stateOf(asset: string, loaded: LoadedAsset): UpstreamState {
  return { kind: loaded.empty ? 'empty' : 'ready', root: asset, input: loaded.input };
}

function inputOf(state: UpstreamState): unknown {
  return 'input' in state ? state.input : null;
}

/**
 * Whether the states of its upstream assets (by name) keep `asset` from running, and how it is then
 * reported: failures first, then cancellations, then emptiness; among equals, the one that comes
 * first in `order` (topological: the root cause before what it emptied), then by name.
 */
function blockedBy(asset: AnyAssetsDefinition, upstream: readonly (readonly [string, UpstreamState])[], order: ReadonlyMap<string, number>): Blocked | null {
  const first = (kinds: readonly UpstreamState['kind'][]) =>
    upstream
      .filter(([, state]) => kinds.includes(state.kind))
      .sort((a, b) => (order.get(a[1].root) ?? 0) - (order.get(b[1].root) ?? 0) || a[0].localeCompare(b[0]))
      .map(([, state]) => state)[0];
  const failed = first(['failed']);
  if (failed !== undefined) {
    return { status: MaterializationStatus.upstreamFailed, reason: ('reason' in failed ? failed.reason : undefined) ?? `upstream ${failed.root} failed`, state: failed };
  }
  const cancelled = first(['cancelled']);
  if (cancelled !== undefined) return { status: MaterializationStatus.cancelled, reason: `upstream ${cancelled.root} was cancelled`, state: cancelled };
  if (asset.onUpstreamEmpty === 'run') return null;
  const empty = first(['empty', 'skipped']);
  if (empty !== undefined) {
    return { status: MaterializationStatus.skipped, reason: `upstream ${empty.root} is empty`, state: { kind: 'skipped', root: empty.root } };
  }
  return null;
}

function runStatus(assets: readonly AssetResult[]): RunStatus {
  if (assets.some((asset) => asset.status === MaterializationStatus.cancelled)) return RunStatus.cancelled;
  const failures: readonly MaterializationStatus[] = [MaterializationStatus.failed, MaterializationStatus.checkFailed, MaterializationStatus.upstreamFailed];
  if (assets.some((asset) => failures.includes(asset.status))) {
    return RunStatus.failed;
  }
  return RunStatus.succeeded;
}
