/**
 * How the CLI shows an asset's check results: a count of those that passed, and for each that did
 * not, its severity, how many rows fail against how many it allows, and a sample row. Sample rows
 * hold data from outside (listing titles), so they are printed as JSON with every control and
 * direction-changing character escaped: nothing in them can move the cursor or reorder the line.
 */
import { describeFailing, isBlocking, type CheckResult } from '../runtime/check-result.ts';
import type { CheckRunResult, StoredChecks } from '../runtime/stored-checks.ts';
import { formatMs } from './format-ms.ts';

/** "· 4 checks passed", "· 3 of 4 checks passed"; empty without checks. */
export function checksSummary(checks: readonly CheckResult[]): string {
  if (checks.length === 0) return '';
  const passed = checks.filter((check) => check.passed).length;
  const plural = checks.length === 1 ? 'check' : 'checks';
  return passed === checks.length ? ` · ${checks.length} ${plural} passed` : ` · ${passed} of ${checks.length} ${plural} passed`;
}

/** A line per check that did not pass, and one per sample row (at most `samples`). */
export function failedCheckLines(checks: readonly CheckResult[], samples = 2): string[] {
  return checks
    .filter((check) => !check.passed)
    .flatMap((check) => [
      `  ${check.severity === 'error' ? '✗' : '!'} check ${check.check} (${check.severity}): ${describeFailing(check)}${check.description === '' ? '' : ` · ${safeText(check.description)}`}`,
      ...check.sample.slice(0, samples).map((row) => `      e.g. ${sampleText(row)}`),
    ]);
}

/** A sample row as one line of escaped JSON. */
export function sampleText(row: unknown): string {
  return safeText(JSON.stringify(row));
}

function safeText(text: string): string {
  // JSON.stringify escapes C0 controls; C1 controls (CSI is U+009B), bidi overrides and isolates are left to us.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An asset's checks on stored rows (`--checks-only`): a line, and one per check that did not pass. */
export function describeStoredChecks(checked: StoredChecks): string {
  const where = `${checked.asset}${checked.partitionKey === null ? '' : ` [${checked.partitionKey}]`}`;
  if (checked.error !== null) return `✗ ${where} checks could not run: ${checked.error}`;
  const symbol = checked.checks.some(isBlocking) ? '✗' : checked.checks.every((check) => check.passed) ? '✓' : '!';
  return [`${symbol} ${where}${checksSummary(checked.checks).replace(' ·', ':')}`, ...failedCheckLines(checked.checks)].join('\n');
}

/** The closing line of a `--checks-only` run. */
export function describeCheckRun(result: CheckRunResult): string {
  const checks = result.assets.flatMap((asset) => asset.checks);
  const passed = checks.filter((check) => check.passed).length;
  const errors = result.assets.filter((asset) => asset.error !== null).length;
  const parts = [`${passed} passed`, `${checks.length - passed} failed`];
  if (errors > 0) parts.push(`${errors} assets could not be checked`);
  return `checks run ${result.runId} ${result.status} (partition ${result.partitionKey}): ${parts.join(', ')} in ${formatMs(result.durationMs)}`;
}
