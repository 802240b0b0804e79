/**
 * When a worker of `duckdag serve` with the web UI exits: once it is idle (no run in progress, no
 * request for `idleMs`, and the next tick further away than `workerIdleBeyondMs`) it tells the front
 * process, and exits when the front lets it go (`retire`: no request is on its way to it). The next
 * page starts a new worker; the front starts one ahead of the next tick.
 */
import type { Scheduler } from '../runtime/scheduler.ts';
import type { FrontMessage, WorkerMessage } from './serve-worker-messages.ts';
import { workerIdleBeyondMs } from './serve-supervisor.ts';
import type { RequestActivity } from './web/request-activity.ts';

/** How long a worker with the web UI stays after its last request. */
export const workerIdleMs = 60_000;

export interface RetirementOptions {
  /** How long it stays after its last request (`workerIdleMs`, shorter in tests). */
  readonly idleMs: number;
  readonly activity: RequestActivity;
  /** Whether a run launched from the page waits or runs. */
  readonly launching: () => boolean;
  /** `null` when the config has no schedules. */
  readonly scheduler: Scheduler | null;
  /** Stopping serve ends the wait, without retiring. */
  readonly signal: AbortSignal;
}

/** Resolves when the worker is let go, with its next tick (`until: null`: none), or with `null` once `signal` aborts. */
export function untilRetired(options: RetirementOptions): Promise<{ readonly until: Date | null } | null> {
  const { idleMs, activity, launching, scheduler, signal } = options;
  const idle = () => activity.quietFor(idleMs) && !launching() && (scheduler === null || scheduler.waitsBeyond(workerIdleBeyondMs));
  return new Promise((resolve) => {
    const done = (outcome: { readonly until: Date | null } | null) => {
      clearInterval(watch);
      process.off('message', onMessage);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const watch = setInterval(() => {
      if (idle() && process.connected) process.send!({ type: 'idle' } satisfies WorkerMessage);
    }, Math.max(50, Math.min(5000, idleMs / 4)));
    const onMessage = (message: FrontMessage) => {
      // Something may have started since it asked; then it asks again later.
      if (message.type !== 'retire' || !idle()) return;
      const ended = scheduler === null ? { until: null } : scheduler.endIdle(workerIdleBeyondMs);
      if (ended !== false) done(ended);
    };
    const onAbort = () => done(null);
    process.on('message', onMessage);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) done(null);
  });
}
