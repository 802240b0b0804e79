/**
 * What one check found on one asset's rows in one run: whether it passed, how many rows broke the
 * rule against how many it allows, and a few of those rows.
 */
import { CheckSeverity } from '../kernel/asset-check.ts';

export interface CheckResult {
  readonly check: string;
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly severity: CheckSeverity;
  readonly description: string;
  readonly passed: boolean;
  /** Rows the check's query returned. */
  readonly failingCount: number;
  /** Rows checked: the asset's new rows (its partition's, when partitioned). */
  readonly checkedRows: number;
  /** Failing rows its threshold tolerates. */
  readonly allowedFailing: number;
  /** The first failing rows, as JSON-friendly objects. */
  readonly sample: readonly Readonly<Record<string, unknown>>[];
  readonly durationMs: number;
}

/** Whether a result keeps the asset's new data out and blocks its downstream. */
export function isBlocking(result: CheckResult): boolean {
  return !result.passed && result.severity === CheckSeverity.error;
}

/** Why downstream assets of a blocking check do not run: "check price_not_negative on cleaned_listings failed". */
export function checkFailureReason(result: Pick<CheckResult, 'check' | 'asset'>): string {
  return `check ${result.check} on ${result.asset} failed`;
}

/** "3 of 120 rows fail (2 allowed)" */
export function describeFailing(result: CheckResult): string {
  return `${result.failingCount.toLocaleString('en-US')} failing of ${result.checkedRows.toLocaleString('en-US')} rows (${result.allowedFailing.toLocaleString('en-US')} allowed)`;
}
