/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the first cancels it (nothing new starts, running assets
 * are interrupted), a second exits 130 at once, and DuckDB rolls back what was not committed.
 */
import type { CliIo } from './cli-io.ts';
import { ExitCode } from './exit-code.ts';

/** Listens for the signals while `work` runs, aborting the signal it is handed on the first. */
export async function cancelOnSignal<T>(io: CliIo, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cancel = () => {
    if (controller.signal.aborted) process.exit(ExitCode.cancelled);
    io.stderr.write('cancelling: no new asset starts, running ones are interrupted (Ctrl-C again to exit now)\n');
    controller.abort();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
