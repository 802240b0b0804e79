/**
 * The long-running process of `duckdag serve`: it loads neither the config nor DuckDB (whose library
 * alone keeps some 50 MB resident once loaded), and runs workers, the same command in a child
 * process (`--worker`), which load them, evaluate what is due, run it, and serve the ticks that
 * follow closely. Once the next tick is far away, a worker says until when and exits, and this
 * process starts the next one shortly before that tick.
 *
 * With the web UI, this process also owns the listening socket (`web/web-front.ts`) and the pages'
 * live feed; every other request goes to the worker, started for it when none runs. A worker of the
 * UI exits only when it is idle: no run in progress, no request for `workerIdleMs`, the next tick far
 * away; it asks first, and is let go only when no request is on its way to it.
 *
 * The workers write the log; a signal is passed on to them (a run in progress is cancelled), and a
 * worker's exit code is serve's. A worker whose front process dies kills itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from './exit-code.ts';
import type { ServeLog } from './serve-log.ts';
import type { FrontMessage, WorkerMessage } from './serve-worker-messages.ts';
import type { LiveFeed } from './web/live-feed.ts';
import { sendText } from './web/send-text.ts';

/** A worker whose next tick is further away than this exits until then. */
export const workerIdleBeyondMs = 120_000;
/** A worker starts this long before its tick is due, so that loading the config and DuckDB is done by then. */
const workerHeadStartMs = 10_000;
/** After a worker could not load the config (an edit broke it while serve ran), how long until the schedules' next try. */
const brokenConfigRetryMs = 60_000;
/** The longest a Node timer waits; a tick further away is waited for in steps. */
const longestTimerMs = 2 ** 31 - 1;

/** The web UI as the front process serves it. */
export interface WebFrontSettings {
  readonly host: string;
  /** `null`: 3000, or the next free port after it. */
  readonly port: number | null;
  readonly token: string | null;
  /** Whether the address printed carries a token made at start, or it comes from the environment. */
  readonly tokenFrom: 'none' | 'env' | 'made';
}

interface Worker {
  readonly child: ChildProcess;
  /** 0 for the first worker serve started, then 1, 2, … */
  readonly turn: number;
  /** Where it serves the web UI once it does; rejects if it ends before. */
  readonly socket: Promise<string>;
  readonly agent: Agent;
  socketDir: string | null;
  /** Requests passed on to it (or waiting for it to start) and not yet answered. */
  inFlight: number;
  /** What it said as it exited idle: its next tick (`null`: none); `undefined` until it says. */
  idleUntil: Date | null | undefined;
}

/**
 * Runs workers with `argv` (the serve command's own arguments), and with `web` the web UI's front,
 * until a worker ends for good or a signal stops serve; resolves with the exit code.
 */
export async function superviseServeWorkers(argv: readonly string[], log: Pick<ServeLog, 'stopping' | 'stopped' | 'webUi' | 'configBroken'>, web: WebFrontSettings | null): Promise<ExitCode> {
  const bin = fileURLToPath(new URL('../bin/duckdag.js', import.meta.url));
  const stopping = new AbortController();
  const workers = new Set<Worker>();
  /** The worker that takes requests and serves the schedules; `null` when none runs or it is exiting. */
  let current: Worker | null = null;
  let started = 0;
  /** The number the next launch from the page will have, whichever worker makes it. */
  let nextLaunch = 1;
  /** Whether the latest worker to exit idle had a tick ahead (whether the config has schedules). */
  let ticksAhead = true;
  let tickTimer: NodeJS.Timeout | null = null;
  let exitCode: ExitCode | null = null;
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const feed: LiveFeed | null = web === null ? null : new (await import('./web/live-feed.ts')).LiveFeed();

  const finishIfDone = () => {
    if (stopping.signal.aborted && workers.size === 0) ended();
  };
  /** Ends serve with `code` once every worker has exited. */
  const finish = (code: ExitCode) => {
    if (exitCode === null || exitCode === ExitCode.ok) exitCode = code;
    if (!stopping.signal.aborted) {
      stopping.abort();
      for (const worker of workers) worker.child.kill('SIGTERM');
    }
    finishIfDone();
  };

  const start = (): Worker => {
    if (tickTimer !== null) clearTimeout(tickTimer);
    tickTimer = null;
    const child = spawn(process.execPath, [bin, ...argv, '--worker', started === 0 ? 'first' : 'again', '--first-launch', String(nextLaunch)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // In its own process group, the worker hears only the signals passed on to it.
      detached: true,
    });
    started += 1;
    let ready!: (socket: string) => void;
    let failed!: (error: Error) => void;
    const socket = new Promise<string>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    socket.catch(() => undefined);
    const worker: Worker = { child, turn: started - 1, socket, agent: new Agent({ keepAlive: true }), socketDir: null, inFlight: 0, idleUntil: undefined };
    workers.add(worker);
    current = worker;
    child.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          worker.socketDir = dirname(message.socket);
          ready(message.socket);
          return;
        case 'live':
          feed?.publish(message.event);
          return;
        case 'idle':
          // Let go only when no request is on its way to it; from now on requests go to a new worker.
          if (worker.inFlight > 0 || stopping.signal.aborted) return;
          if (current === worker) current = null;
          if (child.connected) child.send({ type: 'retire' } satisfies FrontMessage);
          return;
        case 'idle_until':
          worker.idleUntil = message.until === null ? null : new Date(message.until);
          nextLaunch = message.nextLaunch ?? nextLaunch;
          return;
      }
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      workers.delete(worker);
      if (current === worker) current = null;
      worker.agent.destroy();
      if (worker.socketDir !== null) rmSync(worker.socketDir, { recursive: true, force: true });
      const brokenConfig = code === ExitCode.usage && worker.turn > 0 && !stopping.signal.aborted;
      failed(new Error(brokenConfig ? "the config could not be loaded: its error is in serve's log; fix it and reload this page" : 'the worker of duckdag serve ended before it could answer'));
      if (brokenConfig) {
        // The config loaded when serve started and was edited since: serve says so and goes on, and
        // the next page, or a new try in a minute for the schedules, loads it again.
        const retryAt = ticksAhead ? new Date(Date.now() + brokenConfigRetryMs) : null;
        log.configBroken(retryAt);
        if (retryAt !== null && current === null) startAt(retryAt.getTime());
        return;
      }
      if (stopping.signal.aborted || code !== ExitCode.ok || worker.idleUntil === undefined) {
        finish(code === null ? (signal === 'SIGKILL' ? ExitCode.internalError : ExitCode.cancelled) : (code as ExitCode));
        return;
      }
      ticksAhead = worker.idleUntil !== null;
      if (worker.idleUntil !== null && current === null) startAt(worker.idleUntil.getTime() - workerHeadStartMs);
    });
    return worker;
  };

  /** Starts a worker at `at` (ms since the epoch), unless one runs by then. */
  const startAt = (at: number) => {
    const arm = () => {
      const wait = at - Date.now();
      tickTimer = setTimeout(() => {
        tickTimer = null;
        if (wait > longestTimerMs) arm();
        else if (current === null && !stopping.signal.aborted) start();
      }, Math.max(0, Math.min(wait, longestTimerMs)));
    };
    if (tickTimer !== null) clearTimeout(tickTimer);
    arm();
  };

  /** Passes a request of the web UI on to the worker, started for it if none runs. */
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    if (stopping.signal.aborted) {
      sendText(response, 503, 'duckdag serve is stopping\n');
      return;
    }
    const worker = current ?? start();
    worker.inFlight += 1;
    try {
      const socket = await worker.socket.catch((error: Error) => error);
      if (socket instanceof Error) {
        sendText(response, 503, `${socket.message}\n`);
        return;
      }
      const { forwardRequest } = await import('./web/forward-request.ts');
      await forwardRequest(request, response, { socket, agent: worker.agent }, feed!.version);
    } finally {
      worker.inFlight -= 1;
    }
  };

  const stop = (signal: NodeJS.Signals) => {
    const first = !stopping.signal.aborted;
    stopping.abort();
    if (tickTimer !== null) clearTimeout(tickTimer);
    if (workers.size === 0) {
      if (!first) return;
      log.stopping(signal, ' between ticks');
      log.stopped(ExitCode.ok);
      exitCode ??= ExitCode.ok;
      finishIfDone();
      return;
    }
    // Once to stop cleanly (a run in progress is cancelled), twice to exit at once.
    for (const worker of workers) worker.child.kill(signal);
  };

  const front = web === null ? null : await startFront(web, feed!, forward);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const first = start();
    if (front !== null) {
      // The address is printed once the worker is ready to answer (and the config proved valid).
      void first.socket.then(() => log.webUi(front.address, web!.tokenFrom), () => undefined);
    }
    await end;
    return exitCode ?? ExitCode.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (tickTimer !== null) clearTimeout(tickTimer);
    await front?.close();
  }
}

async function startFront(web: WebFrontSettings, feed: LiveFeed, forward: (request: IncomingMessage, response: ServerResponse) => Promise<void>) {
  const { startWebFront } = await import('./web/web-front.ts');
  const server = await startWebFront({ host: web.host, port: web.port, token: web.token, feed, forward });
  // A token made here is shown once, in the address to open; one from the environment never is.
  const address = web.tokenFrom === 'made' ? `${server.url}?token=${web.token}` : server.url;
  return { address, close: () => server.close() };
}
