/** The CLI's exit codes. */
export const ExitCode = {
  /** Every selected asset materialized or was skipped. */
  ok: 0,
  /** An asset failed (or a query did). */
  assetFailed: 1,
  /** Usage, definition or configuration error. */
  usage: 2,
  /** The warehouse is held by another process. */
  warehouseBusy: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
