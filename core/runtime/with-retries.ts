/**
 * Tries an asset again per its retry policy. Cancellation ends a wait between tries at once and
 * starts no further try; a failure known to be final (`AssetFailure` with `retryable: false`) is
 * not tried again.
 */
import pRetry, { AbortError } from 'p-retry';
import { CancelledError, isFinalFailure } from '../kernel/errors.ts';
import type { ResolvedRetryPolicy } from '../kernel/retry-policy.ts';

/**
 * Runs `attempt` until it succeeds, the policy's tries are used up, it fails finally, or `signal`
 * aborts; rejects with the last error (a `CancelledError` when cancelled before or between tries).
 * `onRetry` hears about each failed try that will be tried again.
 */
export async function withRetries<T>(
  policy: ResolvedRetryPolicy,
  signal: AbortSignal,
  attempt: (attemptNumber: number) => Promise<T>,
  onRetry?: (error: unknown, attemptNumber: number) => void,
): Promise<T> {
  const cancelled = () => new CancelledError('the run was cancelled before this asset could be tried again');
  // p-retry rejects once the signal is aborted, even after a try that succeeded: that success stands.
  let succeeded: { readonly value: T } | undefined;
  const finalOrRetryable = async (attemptNumber: number) => {
    try {
      const value = await attempt(attemptNumber);
      succeeded = { value };
      return value;
    } catch (error) {
      throw isFinalFailure(error) || signal.aborted ? new AbortError(error as Error) : error;
    }
  };
  try {
    return await pRetry(finalOrRetryable, {
      retries: policy.attempts - 1,
      minTimeout: policy.delayMs,
      maxTimeout: policy.maxDelayMs,
      factor: policy.backoff,
      randomize: false,
      signal,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0 && !signal.aborted) onRetry?.(error, attemptNumber);
      },
    });
  } catch (error) {
    if (succeeded !== undefined) return succeeded.value;
    // p-retry rejects with the signal's reason when it aborts a wait or is called cancelled.
    if (signal.aborted && error === signal.reason) throw cancelled();
    throw error;
  }
}
