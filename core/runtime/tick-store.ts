/**
 * The scheduler's door to the history of ticks, `duckdag.schedule_ticks` on DuckDB: the last tick
 * of each schedule (what decides which ticks are due), and the claim that lets a schedule run each
 * partition at most once, which the warehouse enforces with a unique key.
 */
import type { TickStatus } from '../kernel/statuses.ts';
import type { AssetStore } from './asset-store.ts';
import type { Tick } from './schedule-ticks.ts';

/** What recording a tick found. */
export type TickClaim =
  /** The tick is recorded `started` and holds its partition: the scheduler decides what it runs. */
  | { readonly kind: 'claimed' }
  /** Another tick of the schedule holds the partition; this one is recorded `skipped`, with `reason`. */
  | { readonly kind: 'partition_taken'; readonly reason: string }
  /** The tick was already recorded (by another `serve`): nothing to do. */
  | { readonly kind: 'already_recorded' };

export interface TickStore {
  /** The latest recorded tick of each schedule, by name. */
  lastTicks(): Promise<ReadonlyMap<string, Date>>;
  /** Ends the ticks left `started` by a process that died: with their run's status, or `interrupted`. */
  markInterruptedTicks(): Promise<void>;
  claim(tick: Tick): Promise<TickClaim>;
  /** Notes the run a claimed tick starts, before it starts. */
  recordRun(tick: Tick, runId: string): Promise<void>;
  recordEnd(tick: Tick, status: TickStatus, reason: string | null): Promise<void>;
}

/** The warehouse, open for one evaluation of the schedules; `close` lets other processes have it. */
export interface WarehouseSession {
  readonly store: AssetStore;
  readonly ticks: TickStore;
  close(): void;
}
