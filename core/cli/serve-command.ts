/**
 * `duckdag serve`: runs the config's schedules and serves the web UI. The long-running process
 * (`serve-supervisor.ts`) loads neither the config nor DuckDB; workers, this same command in a child
 * process (`--worker`), run the ticks, opening the warehouse only to evaluate a tick and run what is
 * due, and render the pages (`web/web-server.ts`) and launch runs. `--once` evaluates once in this
 * process and exits, for system cron, a Kubernetes CronJob or a CI schedule. SIGINT or SIGTERM stops
 * it: a run in progress is cancelled (recorded `cancelled`, exit 130); stopped while waiting, it exits
 * 0. A second signal exits at once.
 */
import { randomBytes } from 'node:crypto';
import type { Argv } from 'yargs';
import { ConfigError } from '../kernel/errors.ts';
import type { ResolvedConfig } from '../project/duckdag-config.ts';
import type { RunEvent } from '../runtime/run-result.ts';
import type { Scheduler } from '../runtime/scheduler.ts';
import type { WebFrontSettings } from './serve-supervisor.ts';
import type { WorkerMessage } from './serve-worker-messages.ts';
import type { ScheduledRuns } from './web/web-server.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';

interface ServeArgs extends GlobalOptions {
  readonly once: boolean;
  readonly concurrency?: number;
  readonly ui: boolean;
  readonly port?: number;
  readonly host: string;
  readonly worker?: string;
  readonly firstLaunch?: number;
}

export function serveCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'serve',
    "Run the config's schedules and serve the web UI: each tick materializes its selection for the tick's partition",
    (command) =>
      command
        .option('once', { type: 'boolean', default: false, describe: 'Run the ticks due now, then exit (for cron, a Kubernetes CronJob, CI); no web UI' })
        .option('now', { type: 'string', describe: 'With --once: evaluate the ticks due at this time (ISO 8601) instead of the clock' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once within a run (default: number of cores)' })
        .option('ui', { type: 'boolean', default: true, describe: 'Serve the web UI (--no-ui: schedules only)' })
        .option('port', { type: 'number', describe: 'Port of the web UI (default: 3000, or the next free one)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: `Address the web UI listens on; beyond loopback it needs a token (${tokenVariable}, or one made and printed at start)` })
        // A worker of serve's front process (serve-supervisor.ts): `first` logs the start, `again` does not.
        .option('worker', { type: 'string', choices: ['first', 'again'], hidden: true })
        // A worker's first launch from the page is numbered on from the previous worker's launches.
        .option('first-launch', { type: 'number', hidden: true }),
    async (args) => {
      const now = args.now === undefined ? undefined : parseNow(args.now, args.once);
      if (!args.once && args.worker === undefined) {
        const web = args.ui ? webFrontSettings(args, session.io.env) : null;
        const [{ superviseServeWorkers }, { serveLog }] = await Promise.all([import('./serve-supervisor.ts'), import('./serve-log.ts')]);
        session.exitCode = await superviseServeWorkers(process.argv.slice(2), serveLog(session.io, args.json), web);
        return;
      }
      if (args.worker === undefined) {
        await serveHere(session, args, now, false);
        return;
      }
      // The process that started this worker ended without stopping it (killed): end as abruptly.
      const orphaned = () => process.kill(process.pid, 'SIGKILL');
      process.on('disconnect', orphaned);
      try {
        await serveHere(session, args, now, true);
      } finally {
        // Its channel to serve would keep the worker alive.
        process.off('disconnect', orphaned);
        if (process.connected) process.disconnect();
      }
    },
  );
}

/**
 * Serves in this process: `--once`, or as a worker of the front process (`serve-supervisor.ts`): the
 * schedules until the next tick is far away, and with the web UI its pages until it is idle.
 */
async function serveHere(session: CliSession, args: ServeArgs, now: Date | undefined, worker: boolean): Promise<void> {
  const config = await session.config(args, args.concurrency);
  const ui = worker && args.ui;
  if (config.schedules.length === 0 && !ui) {
    throw new ConfigError(
      'DUCKDAG_NO_SCHEDULES',
      `config ${config.configPath} declares no schedules; add schedules: [{ name, cron, select }] to defineConfig (see README, "Run it every day")`,
    );
  }
  const [{ Scheduler }, { systemClock }, { openWarehouseSession }, { serveLog }, { projectCodeVersions }, { workerIdleBeyondMs }] = await Promise.all([
    import('../runtime/scheduler.ts'),
    import('../runtime/clock.ts'),
    import('../../storage/warehouse-session.ts'),
    import('./serve-log.ts'),
    import('./project-staleness.ts'),
    import('./serve-supervisor.ts'),
  ]);
  const clock = now === undefined ? systemClock : { ...systemClock, now: () => now };
  const log = serveLog(session.io, args.json);
  // The versions of the code this process loaded, recorded with every run it makes: an edit made
  // while it serves takes effect (and counts) only once a process loads it again.
  const codeVersions = await projectCodeVersions(config, session.io, { inChildProcess: !args.once });
  const web = ui ? await webParts(config, codeVersions, { idleMs: Number(session.io.env[workerIdleVariable]) || null, firstLaunch: args.firstLaunch ?? 1 }, (event) => {
    log.onRunEvent(event);
    log.onLaunchedRunEvent(event);
  }) : null;
  const onRunEvent = (event: RunEvent) => {
    log.onRunEvent(event);
    web?.live.onRunEvent(event);
  };
  const scheduler = new Scheduler({
    schedules: config.schedules,
    graph: config.graph,
    openSession: () =>
      web === null
        ? openWarehouseSession({ path: config.warehousePath, lockTimeoutMs: config.lockTimeoutMs, command: 'duckdag serve', duckdb: config.duckdb }, config.kinds)
        : web.access.openSession("a schedule's tick"),
    resources: config.resources,
    codeVersions,
    concurrency: config.concurrency,
    clock,
    onEvent: log.onEvent,
    onRunEvent,
    // With the UI, the worker also waits for its pages to go quiet (`untilRetired`).
    idleBeyondMs: worker && !ui ? workerIdleBeyondMs : undefined,
  });
  const stopping = new AbortController();
  let cancelledLaunch = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) process.exit(ExitCode.cancelled);
    stopping.abort();
    log.stopping(signal, ': a run in progress is cancelled, no new tick starts (again to exit now)');
    void scheduler.stop();
    cancelledLaunch = web?.launcher.cancelAll() ?? false;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    if (args.worker !== 'again') log.started(
      { pid: process.pid, warehouse: config.warehousePath, once: args.once },
      scheduler.nextTicks(clock.now()).map(({ tickAt }, index) => ({ schedule: config.schedules[index]!, nextTickAt: tickAt })),
    );
    if (args.once) {
      const outcomes = await scheduler.runOnce();
      if (outcomes.length === 0) log.nothingDue();
      session.exitCode = outcomes.some((tick) => tick.status === 'cancelled')
        ? ExitCode.cancelled
        : outcomes.some((tick) => tick.status === 'failed')
          ? ExitCode.assetFailed
          : ExitCode.ok;
    } else {
      const schedules = config.schedules.length === 0 ? null : scheduler;
      const server = web === null ? null : await web.serve(scheduler);
      let retired: { readonly until: Date | null } | null = null;
      try {
        await Promise.all([
          schedules?.start(),
          web === null ? null : web.untilRetired(schedules, stopping.signal).then((outcome) => (retired = outcome)),
        ]);
        await web?.access.close();
      } finally {
        await server?.close();
      }
      session.exitCode = scheduler.cancelledRun || cancelledLaunch ? ExitCode.cancelled : ExitCode.ok;
      const idle = web === null ? (scheduler.idleUntil === null ? null : { until: scheduler.idleUntil }) : retired;
      if (worker && idle !== null && !stopping.signal.aborted && process.send !== undefined) {
        await tellFront({ type: 'idle_until', until: idle.until?.toISOString() ?? null, nextLaunch: web?.launcher.nextId });
        return;
      }
    }
    log.stopped(session.exitCode);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Sends `message` to the front process, if it still listens; resolves once sent. */
function tellFront(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || process.send === undefined) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

/** The environment variable holding the web UI's token when it listens beyond loopback. */
const tokenVariable = 'DUCKDAG_UI_TOKEN';
/**
 * How long (ms) a worker with the web UI stays after its last request, instead of `workerIdleMs`:
 * for tests, which cannot wait a minute. Not documented for users.
 */
const workerIdleVariable = 'DUCKDAG_SERVE_WORKER_IDLE_MS';

/** Where and how the front process serves the web UI: the address, the port, and the token beyond loopback. */
function webFrontSettings(args: ServeArgs, env: NodeJS.ProcessEnv): WebFrontSettings {
  const port = args.port === undefined ? null : checkPort(args.port);
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(args.host);
  const fromEnv = env[tokenVariable]?.trim() || null;
  const token = loopback ? null : (fromEnv ?? randomBytes(24).toString('base64url'));
  return { host: args.host, port, token, tokenFrom: token === null ? 'none' : fromEnv !== null ? 'env' : 'made' };
}

/** The web UI's parts in a worker: the warehouse's coordinator, the live events, the launcher, and serving the pages to the front. */
async function webParts(
  config: ResolvedConfig,
  codeVersions: ReadonlyMap<string, string>,
  { idleMs, firstLaunch }: { readonly idleMs: number | null; readonly firstLaunch: number },
  logRunEvent: (event: RunEvent) => void,
) {
  const [{ WarehouseAccess }, { LiveEvents }, { RunLauncher }, { startWebUi }, { RequestActivity }, retirement] = await Promise.all([
    import('../../storage/warehouse-access.ts'),
    import('./web/live-events.ts'),
    import('./web/run-launcher.ts'),
    import('./web/web-server.ts'),
    import('./web/request-activity.ts'),
    import('./serve-worker-retirement.ts'),
  ]);
  const access = new WarehouseAccess({ warehouse: { path: config.warehousePath, lockTimeoutMs: config.lockTimeoutMs, duckdb: config.duckdb }, kinds: config.kinds });
  const live = new LiveEvents(config.graph, (event) => void tellFront({ type: 'live', event }));
  const launcher = new RunLauncher({
    graph: config.graph,
    access,
    resources: config.resources,
    codeVersions,
    concurrency: config.concurrency,
    firstId: firstLaunch,
    onRunEvent: (event) => {
      logRunEvent(event);
      live.onRunEvent(event);
    },
  });
  const activity = new RequestActivity();
  const serve = async (scheduler: ScheduledRuns) => {
    const server = await startWebUi({ config, codeVersions, access, live, launcher, scheduler, activity });
    await tellFront({ type: 'ready', socket: server.socket });
    return server;
  };
  const untilRetired = (scheduler: Scheduler | null, signal: AbortSignal) =>
    retirement.untilRetired({ idleMs: idleMs ?? retirement.workerIdleMs, activity, launching: () => launcher.busy, scheduler, signal });
  return { access, live, launcher, serve, untilRetired };
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `--port must be a whole number from 0 to 65535, got ${port}`);
  }
  return port;
}

function parseNow(text: string, once: boolean): Date {
  if (!once) throw new ConfigError('DUCKDAG_OPTION_INVALID', '--now needs --once: a long-running serve follows the clock');
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(date.getTime())) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `--now must be an ISO 8601 time with its offset, such as 2026-11-24T12:00:00Z, got "${text}"`);
  }
  return date;
}
