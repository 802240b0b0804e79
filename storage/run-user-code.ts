/** Runs an asset's code, wrapping what it throws so the error names the asset and keeps the cause. */
import { CancelledError, UserCodeError } from '../core/kernel/errors.ts';

export async function runUserCode<T>(asset: string, code: () => Promise<T>): Promise<T> {
  try {
    return await code();
  } catch (error) {
    throw error instanceof UserCodeError || error instanceof CancelledError ? error : new UserCodeError(asset, error);
  }
}
