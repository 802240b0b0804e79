/**
 * Asset checks, as Dagster's blocking checks and dbt's tests: data-quality rules declared beside a
 * table asset, each a query returning the rows that break it. They run on the asset's new rows
 * (its partition's rows for a partitioned asset) inside its transaction, before they replace the
 * stored data. A failed `error` check keeps the previous data and blocks downstream assets; a failed
 * `warn` check is recorded and printed, and the run goes on.
 */
import type { AssetMetadata, TableAssetDefinition, TableRef } from './asset-definition.ts';
import { DefinitionError } from './errors.ts';
import type { Sql } from './sql.ts';

/** What a failed check does. */
export const CheckSeverity = {
  /** Keeps the asset's previous data and does not run its downstream assets. */
  error: 'error',
  /** Recorded and printed; the run goes on. */
  warn: 'warn',
} as const;
export type CheckSeverity = (typeof CheckSeverity)[keyof typeof CheckSeverity];

/** What a check's query is handed besides the rows it checks. */
export interface CheckContext<R = {}> {
  readonly asset: string;
  /** The run's partition for a partitioned asset, `null` otherwise. */
  readonly partitionKey: string | null;
  /** The resources the asset declared. */
  readonly resources: R;
  /**
   * What the asset's code reported with `addMetadata` when it wrote the rows checked (for stored
   * rows, as recorded with their materialization): counts a check can hold to a rule.
   */
  readonly metadata: AssetMetadata;
  /**
   * An upstream table asset (or the asset itself) as stored: its rows at the run's partition when it
   * is partitioned. Any other asset is an error: it may not be settled when the check runs.
   */
  ref(asset: TableAssetDefinition<any>): TableRef;
}

/** How many failing rows a check tolerates; without either, none. */
export interface CheckThreshold {
  /** At most this many failing rows. */
  readonly maxFailing?: number;
  /** At most this share (0–1) of the rows checked fail: `0.02` is at most 2%. */
  readonly maxFailingShare?: number;
}

/** Options every check takes. */
export interface CheckOptions extends CheckThreshold {
  /** snake_case, unique among the asset's checks. Built-in checks name themselves (`unique_id`). */
  readonly name?: string;
  readonly description?: string;
  /** @default 'error' */
  readonly severity?: CheckSeverity;
}

/** A check as written; built by `notNull`, `unique`, …, or `sqlCheck` for a rule of one's own. */
export interface AssetCheckSpec<R = unknown> extends CheckOptions {
  readonly name: string;
  /** Columns of the asset the check reads: one the table lacks is an error naming it. */
  readonly columns?: readonly string[];
  /** The rows that break the rule, given the rows checked. */
  readonly failingRows: (rows: TableRef, context: CheckContext<R>) => Sql;
}

/** A check as the framework runs it: validated, defaults applied. */
export interface AssetCheck {
  readonly name: string;
  readonly description: string;
  readonly severity: CheckSeverity;
  readonly columns: readonly string[];
  readonly maxFailing: number | null;
  readonly maxFailingShare: number | null;
  readonly failingRows: (rows: TableRef, context: CheckContext<any>) => Sql;
}

const checkNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** Validates an asset's checks; throws `DefinitionError` naming the asset and the check. */
export function resolveAssetChecks(asset: string, specs: readonly AssetCheckSpec<any>[] | undefined): readonly AssetCheck[] {
  const seen = new Set<string>();
  return (specs ?? []).map((spec, index) => {
    const where = `asset ${asset}: check ${typeof spec?.name === 'string' ? `"${spec.name}"` : `#${index + 1}`}`;
    if (typeof spec !== 'object' || spec === null || typeof spec.failingRows !== 'function') {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where} is not a check; build one with notNull(), unique(), … or sqlCheck()`);
    }
    if (typeof spec.name !== 'string' || !checkNamePattern.test(spec.name)) {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where} has an invalid name: use snake_case (a lowercase letter, then lowercase letters, digits or _)`);
    }
    if (seen.has(spec.name)) throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where} is declared twice; check names must be unique per asset`);
    seen.add(spec.name);
    const severity = spec.severity ?? CheckSeverity.error;
    if (severity !== CheckSeverity.error && severity !== CheckSeverity.warn) {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where}: severity must be "error" or "warn", got "${String(severity)}"`);
    }
    const { maxFailing, maxFailingShare } = spec;
    if (maxFailing !== undefined && !(Number.isInteger(maxFailing) && maxFailing >= 0)) {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where}: maxFailing must be a whole number ≥ 0, got ${String(maxFailing)}`);
    }
    if (maxFailingShare !== undefined && !(typeof maxFailingShare === 'number' && maxFailingShare >= 0 && maxFailingShare <= 1)) {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `${where}: maxFailingShare must be a number from 0 to 1 (0.02 is 2%), got ${String(maxFailingShare)}`);
    }
    return {
      name: spec.name,
      description: spec.description ?? '',
      severity,
      columns: spec.columns ?? [],
      maxFailing: maxFailing ?? null,
      maxFailingShare: maxFailingShare ?? null,
      failingRows: spec.failingRows,
    };
  });
}

/** How many failing rows a check allows among `checkedRows`: the stricter of its thresholds. */
export function allowedFailing(check: Pick<AssetCheck, 'maxFailing' | 'maxFailingShare'>, checkedRows: number): number {
  const limits = [check.maxFailing, check.maxFailingShare === null ? null : Math.floor(check.maxFailingShare * checkedRows + 1e-9)];
  const set = limits.filter((limit): limit is number => limit !== null);
  return set.length === 0 ? 0 : Math.min(...set);
}
