/**
 * What a run reports: one result per selected asset, never an exception for an asset's failure.
 */
import type { MaterializationStatus, RunStatus } from '../kernel/statuses.ts';
import type { CheckResult } from './check-result.ts';
import type { RunPlan } from './run-plan.ts';

export interface AssetResult {
  readonly asset: string;
  readonly status: MaterializationStatus;
  readonly partitionKey: string | null;
  /** Rows written (the partition's rows for a partitioned asset); null for value assets and assets not run. */
  readonly rowCount: number | null;
  /** Whether the asset materialized empty (0 rows, or an empty value), which skips its downstream. */
  readonly empty: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly attempts: number;
  /** Why it failed: the error's message, naming the asset. */
  readonly error: string | null;
  /** Why it was skipped, not run, held back by a check or cancelled: "upstream high_volume_sales is empty". */
  readonly reason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Its checks' results, when it ran; a blocking one made it `check_failed`. */
  readonly checks: readonly CheckResult[];
}

/** What any run reports about itself: its id, outcome, partition, selection and timing. */
export interface RunSummary {
  readonly runId: string;
  readonly status: RunStatus;
  readonly partitionKey: string;
  readonly selection: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
}

export interface RunResult extends RunSummary {
  /** In the order the assets were planned. */
  readonly assets: readonly AssetResult[];
}

/** What a run tells its observers (the CLI's progress view) as it goes. */
export type RunEvent =
  | { readonly type: 'run_started'; readonly runId: string; readonly plan: RunPlan }
  | { readonly type: 'asset_started'; readonly asset: string }
  | { readonly type: 'asset_retrying'; readonly asset: string; readonly attempt: number; readonly error: string }
  | { readonly type: 'asset_log'; readonly asset: string; readonly message: string }
  | { readonly type: 'asset_finished'; readonly result: AssetResult }
  | { readonly type: 'run_finished'; readonly result: RunResult };
