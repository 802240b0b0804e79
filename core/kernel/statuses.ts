/**
 * The outcomes a run and each of its assets can end in, as recorded in the history.
 */

/** The status of one asset in one run. */
export const MaterializationStatus = {
  materialized: 'materialized',
  /** Not run: an upstream asset is empty (or was skipped). */
  skipped: 'skipped',
  failed: 'failed',
  /** Ran, but an `error` check failed on its new rows: they were not stored, the previous data stays. */
  checkFailed: 'check_failed',
  /** Not run: an upstream asset failed (or failed a check). */
  upstreamFailed: 'upstream_failed',
  /** Interrupted, or not started, because the run was cancelled. */
  cancelled: 'cancelled',
} as const;
export type MaterializationStatus = (typeof MaterializationStatus)[keyof typeof MaterializationStatus];

/** The status of a run. */
export const RunStatus = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  /** Cancelled by its user (Ctrl-C, SIGTERM). */
  cancelled: 'cancelled',
  /** Its process died before it ended; found so by the next run. */
  interrupted: 'interrupted',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** The outcome of a schedule's tick, as recorded in `duckdag.schedule_ticks`. */
export const TickStatus = {
  /** Its run has started and not ended. */
  started: 'started',
  /** No run: the partition was already materialized, or already run by the schedule. */
  skipped: 'skipped',
  succeeded: RunStatus.succeeded,
  failed: RunStatus.failed,
  cancelled: RunStatus.cancelled,
  /** The process running it died before the run ended; found so by the next `serve`. */
  interrupted: RunStatus.interrupted,
} as const;
export type TickStatus = (typeof TickStatus)[keyof typeof TickStatus];
