/**
 * `duckdag serve --no-ui` between distant ticks: the long-running process loads neither the config
 * nor DuckDB (whose library alone keeps some 50 MB resident once loaded). It starts a worker, the
 * same command in a child process, which evaluates what is due, runs it and serves the ticks that
 * follow closely; once the next tick is far away, the worker says until when and exits, and this
 * process sleeps until shortly before that tick and starts the next worker. The worker writes the
 * log; a signal is passed on to it (a run in progress is cancelled), and its exit code is serve's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ExitCode } from './exit-code.ts';
import type { ServeLog } from './serve-log.ts';

/** A worker whose next tick is further away than this exits until then. */
export const workerIdleBeyondMs = 120_000;
/** A worker starts this long before its tick is due, so that loading the config and DuckDB is done by then. */
const workerHeadStartMs = 10_000;

/** What a worker tells the process that started it when it exits idle. */
export interface WorkerIdle {
  readonly type: 'idle_until';
  /** ISO 8601. */
  readonly until: string;
}

/** Runs workers with `argv` (the serve command's own arguments) until one ends for good or a signal stops serve; resolves with the exit code. */
export async function superviseServeWorkers(argv: readonly string[], log: Pick<ServeLog, 'stopping' | 'stopped'>): Promise<ExitCode> {
  const bin = fileURLToPath(new URL('../bin/duckdag.js', import.meta.url));
  const stopping = new AbortController();
  let worker: ChildProcess | null = null;
  const stop = (signal: NodeJS.Signals) => {
    stopping.abort();
    // In its own process group, the worker hears only this: once to stop cleanly, twice to exit at once.
    if (worker !== null) worker.kill(signal);
    else log.stopping(signal, ' between ticks');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    for (let turn = 0; !stopping.signal.aborted; turn += 1) {
      worker = spawn(process.execPath, [bin, ...argv, '--worker', turn === 0 ? 'first' : 'again'], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        detached: true,
      });
      let idleUntil: Date | null = null;
      worker.on('message', (message: WorkerIdle) => {
        if (message.type === 'idle_until') idleUntil = new Date(message.until);
      });
      const [code, signal] = (await once(worker, 'close')) as [number | null, NodeJS.Signals | null];
      worker = null;
      if (code === null) return signal === 'SIGKILL' ? ExitCode.internalError : ExitCode.cancelled;
      if (code !== ExitCode.ok || idleUntil === null) return code as ExitCode;
      const wait = (idleUntil as Date).getTime() - workerHeadStartMs - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
    log.stopped(ExitCode.ok);
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
