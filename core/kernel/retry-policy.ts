/**
 * How often an asset is tried before it counts as failed, and how long to wait between tries.
 */
import { DefinitionError } from './errors.ts';

/** Retry policy as written in an asset definition. */
export interface RetryPolicy {
  /** Tries in all, the first included. @default 1 */
  readonly attempts?: number;
  /** Wait before the second try, in milliseconds. @default 1000 */
  readonly delayMs?: number;
  /** Each further wait is the previous one times this factor. @default 2 */
  readonly backoff?: number;
  /** No wait is longer than this, in milliseconds. @default 60000 */
  readonly maxDelayMs?: number;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

const defaults: ResolvedRetryPolicy = { attempts: 1, delayMs: 1000, backoff: 2, maxDelayMs: 60_000 };

/** Applies defaults and validates, naming the asset and the field at fault. */
export function resolveRetryPolicy(asset: string, policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  const resolved = { ...defaults, ...policy };
  const check = (field: keyof RetryPolicy, ok: boolean, rule: string) => {
    if (!ok) {
      throw new DefinitionError(
        'DUCKDAG_RETRY_POLICY_INVALID',
        `asset ${asset}: retry.${field} must be ${rule}, got ${String(resolved[field])}`,
      );
    }
  };
  check('attempts', Number.isInteger(resolved.attempts) && resolved.attempts >= 1, 'a positive integer');
  check('delayMs', Number.isFinite(resolved.delayMs) && resolved.delayMs >= 0, 'a non-negative number');
  check('backoff', Number.isFinite(resolved.backoff) && resolved.backoff >= 1, 'a number ≥ 1');
  check('maxDelayMs', Number.isFinite(resolved.maxDelayMs) && resolved.maxDelayMs >= resolved.delayMs, '≥ delayMs');
  return resolved;
}
