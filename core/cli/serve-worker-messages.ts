/**
 * What a worker of `duckdag serve` (the same command in a child process, `--worker`) and the front
 * process that started it tell each other over their IPC channel.
 */
import type { LiveEvent } from './web/live-events.ts';

/** From a worker. */
export type WorkerMessage =
  /** Its web UI listens on this Unix socket, in a folder only its user can enter. */
  | { readonly type: 'ready'; readonly socket: string }
  /** An event of a run, for the pages' live feed. */
  | { readonly type: 'live'; readonly event: LiveEvent }
  /** Nothing runs, no request came for a while and the next tick is far away: it would exit (answered `retire`, or not at all). */
  | { readonly type: 'idle' }
  /**
   * Sent as it exits idle: its next tick (ISO 8601; `null`: no schedule has another), and with the web
   * UI the number its next launch would have had, which the next worker's launches go on from.
   */
  | { readonly type: 'idle_until'; readonly until: string | null; readonly nextLaunch?: number };

/** To a worker. */
export type FrontMessage =
  /** No request is on its way to it, and none will be: it may exit. */
  { readonly type: 'retire' };
