/**
 * The scheduler behind `duckdag serve`: on start and at every tick it opens the warehouse, asks the
 * tick history which ticks are due, runs each through the plan and the executor, records the
 * outcome, and closes the warehouse again, so other commands can use it while it waits. A schedule
 * runs each partition at most once (the tick store's claim); a tick whose partition is already
 * materialized is recorded skipped. `stop()` cancels a run in progress and ends the wait; `cancelRun()`
 * cancels the run alone.
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import { describeError, DuckdagError, WarehouseBusyError } from '../kernel/errors.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import type { Catchup, ScheduleDefinition } from '../kernel/schedule-definition.ts';
import { MaterializationStatus, RunStatus, TickStatus } from '../kernel/statuses.ts';
import { systemClock, type Clock } from './clock.ts';
import { executePlan } from './executor.ts';
import { completedPartitions } from './partition-completion.ts';
import { newRunId } from './run-id.ts';
import { buildPlan } from './run-plan.ts';
import type { RunEvent, RunResult } from './run-result.ts';
import { dueTicks, nextTickAt, type Tick } from './schedule-ticks.ts';
import type { WarehouseSession } from './tick-store.ts';

/** What became of one tick. */
export interface TickOutcome {
  readonly schedule: string;
  /** ISO 8601, UTC. */
  readonly tickAt: string;
  readonly partitionKey: string;
  readonly status: TickStatus;
  readonly runId: string | null;
  /** Why it was skipped or failed without a run. */
  readonly reason: string | null;
}

/** What the scheduler tells its log as it goes. */
export type SchedulerEvent =
  | { readonly type: 'catchup'; readonly schedule: string; readonly policy: Catchup; readonly passedOver: number; readonly due: number }
  /** A tick evaluated: its run starts now (`started`), or it ends without one. */
  | { readonly type: 'tick'; readonly tick: TickOutcome }
  | { readonly type: 'run_finished'; readonly tick: TickOutcome; readonly result: RunResult }
  | { readonly type: 'waiting'; readonly until: string | null; readonly schedules: readonly string[] }
  | { readonly type: 'warehouse_busy'; readonly message: string; readonly retryInMs: number };

export interface SchedulerOptions {
  readonly schedules: readonly ScheduleDefinition[];
  readonly graph: AssetGraph;
  /** Opens the warehouse for one evaluation; rejects with `WarehouseBusyError` when another process holds it. */
  readonly openSession: () => Promise<WarehouseSession>;
  readonly resources?: ResourceValues;
  /** Each asset's code version, recorded with its materializations as `materialize` does. */
  readonly codeVersions?: ReadonlyMap<string, string>;
  /** Most assets running at once within a run. */
  readonly concurrency: number;
  readonly clock?: Clock;
  readonly onEvent?: (event: SchedulerEvent) => void;
  /** The events of each run, as `materialize` shows them. */
  readonly onRunEvent?: (event: RunEvent) => void;
  /** Longest wait between two looks at the clock, so a machine waking from sleep catches up soon after. @default 60000 */
  readonly maxSleepMs?: number;
  /**
   * When the next tick is further away than this after an evaluation, serving ends instead of
   * waiting (`idleUntil` says until when), so the process can let go of what it holds meanwhile.
   */
  readonly idleBeyondMs?: number;
  /** Wait before trying a busy warehouse again (opening it already waits its lock timeout). @default 1000 */
  readonly busyRetryMs?: number;
}

export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #stop = new AbortController();
  #serving: Promise<void> | null = null;
  #cancelledRun = false;
  /** The run in progress and what cancels it alone. */
  #running: { readonly runId: string; readonly controller: AbortController } | null = null;
  #idleUntil: Date | null = null;
  /** While serving waits for its next evaluation: when that is (infinity: no tick ahead), and what ends the wait early. */
  #waiting: { readonly until: number; readonly wake: AbortController } | null = null;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Whether `stop()` cancelled a run in progress. */
  get cancelledRun(): boolean {
    return this.#cancelledRun;
  }

  get stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  /** When serving ended because the next tick was far away (`idleBeyondMs`, `endIdle()`): that tick's time. */
  get idleUntil(): Date | null {
    return this.#idleUntil;
  }

  /** The id of the run a tick has in progress, or `null`. */
  get runningRunId(): string | null {
    return this.#running?.runId ?? null;
  }

  /** Cancels the run in progress if it is `runId` (its tick is recorded `cancelled`; later ticks still run); whether it was. */
  cancelRun(runId: string): boolean {
    if (this.#running?.runId !== runId) return false;
    this.#running.controller.abort();
    return true;
  }

  /** Whether serving waits for a tick further away than `beyondMs` (or for none): no tick is being evaluated or run. */
  waitsBeyond(beyondMs: number): boolean {
    return this.#waiting !== null && this.#waiting.until - this.#clock.now().getTime() > beyondMs;
  }

  /**
   * Ends serving if it waits for a tick further away than `beyondMs`, so the process can let go of
   * what it holds until then: returns that tick's time (`null`: no tick ahead), or `false` when a
   * tick is nearer or in progress.
   */
  endIdle(beyondMs: number): { readonly until: Date | null } | false {
    if (!this.waitsBeyond(beyondMs)) return false;
    const { until, wake } = this.#waiting!;
    if (Number.isFinite(until)) this.#idleUntil = new Date(until);
    wake.abort();
    return { until: this.#idleUntil };
  }

  /** The next tick of each schedule after `now`. */
  nextTicks(now: Date = this.#clock.now()): { readonly schedule: string; readonly tickAt: Date | null }[] {
    return this.#options.schedules.map((schedule) => ({ schedule: schedule.name, tickAt: nextTickAt(schedule, now) }));
  }

  /** Runs what is due now, once; rejects with `WarehouseBusyError` if the warehouse stays held. */
  runOnce(): Promise<TickOutcome[]> {
    return this.#evaluate(this.#clock.now());
  }

  /**
   * Serves until `stop()` (or `endIdle()`, or with `idleBeyondMs` until the next tick is that far away): evaluates
   * now, then at every tick. Resolves once ended; a second call returns the same promise.
   */
  start(): Promise<void> {
    this.#serving ??= this.#serve();
    return this.#serving;
  }

  /** No tick starts any more, a run in progress is cancelled; resolves once serving has ended. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#serving?.catch(() => undefined);
  }

  async #serve(): Promise<void> {
    const { maxSleepMs = 60_000, busyRetryMs = 1000, idleBeyondMs = Number.POSITIVE_INFINITY } = this.#options;
    const signal = this.#stop.signal;
    let evaluateAt = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      const now = this.#clock.now();
      if (now.getTime() >= evaluateAt) {
        try {
          await this.#evaluate(now);
        } catch (error) {
          if (!(error instanceof WarehouseBusyError)) throw error;
          this.#emit({ type: 'warehouse_busy', message: describeError(error), retryInMs: busyRetryMs });
          await this.#clock.sleep(busyRetryMs, signal);
          continue;
        }
        evaluateAt = this.#announceWait(now);
        if (Number.isFinite(evaluateAt) && evaluateAt - this.#clock.now().getTime() > idleBeyondMs) {
          this.#idleUntil = new Date(evaluateAt);
          return;
        }
      }
      const wait = Math.min(maxSleepMs, Math.max(0, evaluateAt - this.#clock.now().getTime()));
      if (signal.aborted) break;
      const wake = new AbortController();
      this.#waiting = { until: evaluateAt, wake };
      await this.#clock.sleep(wait, AbortSignal.any([signal, wake.signal]));
      this.#waiting = null;
      if (wake.signal.aborted) return;
    }
  }

  /** Logs the next tick after `now` and returns its time (infinity when no schedule has one). */
  #announceWait(now: Date): number {
    const next = this.nextTicks(now).filter((one): one is { schedule: string; tickAt: Date } => one.tickAt !== null);
    const at = Math.min(...next.map((one) => one.tickAt.getTime()));
    this.#emit({
      type: 'waiting',
      until: Number.isFinite(at) ? new Date(at).toISOString() : null,
      schedules: next.filter((one) => one.tickAt.getTime() === at).map((one) => one.schedule),
    });
    return at;
  }

  async #evaluate(now: Date): Promise<TickOutcome[]> {
    const session = await this.#options.openSession();
    try {
      await session.ticks.markInterruptedTicks();
      const last = await session.ticks.lastTicks();
      const outcomes: TickOutcome[] = [];
      for (const schedule of this.#options.schedules) {
        const due = dueTicks(schedule, last.get(schedule.name) ?? null, now);
        if (due.passedOver > 0) {
          this.#emit({ type: 'catchup', schedule: schedule.name, policy: schedule.catchup, passedOver: due.passedOver, due: due.ticks.length });
        }
        for (const tick of due.ticks) {
          if (this.#stop.signal.aborted) return outcomes;
          outcomes.push(await this.#tick(session, schedule, tick));
        }
      }
      return outcomes;
    } finally {
      session.close();
    }
  }

  async #tick(session: WarehouseSession, schedule: ScheduleDefinition, tick: Tick): Promise<TickOutcome> {
    const { graph } = this.#options;
    const outcome = (status: TickStatus, reason: string | null, runId: string | null = null): TickOutcome => ({
      schedule: tick.schedule,
      tickAt: tick.tickAt.toISOString(),
      partitionKey: tick.partitionKey,
      status,
      runId,
      reason,
    });
    const ended = async (status: TickStatus, reason: string): Promise<TickOutcome> => {
      await session.ticks.recordEnd(tick, status, reason);
      return this.#told(outcome(status, reason));
    };
    const claim = await session.ticks.claim(tick);
    if (claim.kind === 'already_recorded') return this.#told(outcome(TickStatus.skipped, 'already recorded by another duckdag serve'));
    if (claim.kind === 'partition_taken') return this.#told(outcome(TickStatus.skipped, claim.reason));
    const done = await completedPartitions(graph, schedule.assets, [tick.partitionKey], session.store);
    if (done.has(tick.partitionKey)) {
      return ended(TickStatus.skipped, `partition ${tick.partitionKey} is already materialized (each selected asset's latest outcome is materialized or skipped)`);
    }
    const request = { select: schedule.select, exclude: schedule.exclude ?? undefined, partitionKey: tick.partitionKey };
    const runId = newRunId();
    const controller = new AbortController();
    let result: RunResult;
    try {
      const plan = await buildPlan(graph, request, session.store);
      await session.ticks.recordRun(tick, runId);
      this.#told(outcome(TickStatus.started, null, runId));
      this.#running = { runId, controller };
      result = await executePlan(plan, graph, session.store, {
        runId,
        force: false,
        concurrency: this.#options.concurrency,
        resources: this.#options.resources,
        codeVersions: this.#options.codeVersions,
        signal: AbortSignal.any([this.#stop.signal, controller.signal]),
        onEvent: this.#options.onRunEvent,
      });
    } catch (error) {
      // The plan or the config refused the run before it started (an upstream never materialized, a missing resource).
      if (!(error instanceof DuckdagError)) throw error;
      return ended(TickStatus.failed, describeError(error));
    } finally {
      this.#running = null;
    }
    if (result.status === RunStatus.cancelled && this.#stop.signal.aborted) this.#cancelledRun = true;
    const failed = result.assets.filter((asset) => asset.status === MaterializationStatus.failed);
    const reason = failed.length === 0 ? null : failed.map((asset) => asset.error ?? asset.asset).join('; ');
    // A run the executor returns has ended: never `running`.
    const status = result.status as Exclude<RunStatus, 'running'>;
    await session.ticks.recordEnd(tick, status, reason);
    const finished = outcome(status, reason, runId);
    this.#emit({ type: 'run_finished', tick: finished, result });
    return finished;
  }

  #told(outcome: TickOutcome): TickOutcome {
    this.#emit({ type: 'tick', tick: outcome });
    return outcome;
  }

  #emit(event: SchedulerEvent): void {
    this.#options.onEvent?.(event);
  }
}
