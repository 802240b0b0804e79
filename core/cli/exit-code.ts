/** The CLI's exit codes. */
export const ExitCode = {
  /** Every selected asset materialized or was skipped. */
  ok: 0,
  /** An asset failed (or a query did, or `lint` found errors). */
  assetFailed: 1,
  /** Usage, definition or configuration error; a warehouse written by a newer duckdag. */
  usage: 2,
  /** The warehouse is held by another process. */
  warehouseBusy: 3,
  /** A bug in duckdag itself (EX_SOFTWARE): reported with its stack. */
  internalError: 70,
  /** The run was cancelled with Ctrl-C (SIGINT) or SIGTERM (128 + SIGINT). */
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** How a command that ran (a run, a backfill) exits: 0 when it succeeded, 130 when cancelled, else 1. */
export function exitCodeOf(status: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted'): ExitCode {
  return status === 'succeeded' ? ExitCode.ok : status === 'cancelled' ? ExitCode.cancelled : ExitCode.assetFailed;
}
