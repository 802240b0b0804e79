/**
 * What time it is, and waiting: the scheduler takes them as a port, so tests move time by hand
 * instead of sleeping until a tick.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or as soon as `signal` aborts (without rejecting). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};
