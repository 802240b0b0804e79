/**
 * `duckdag serve`: runs the config's schedules in one long-running process, opening the warehouse
 * only to evaluate a tick and run what is due; `--once` evaluates once and exits, for system cron,
 * a Kubernetes CronJob or a CI schedule. SIGINT or SIGTERM stops it: a run in progress is cancelled
 * (recorded `cancelled`, exit 130); stopped while waiting, it exits 0. A second signal exits at once.
 */
import type { Argv } from 'yargs';
import { ConfigError } from '../kernel/errors.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';

export function serveCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'serve',
    "Run the config's schedules: each tick materializes its selection for the tick's partition",
    (command) =>
      command
        .option('once', { type: 'boolean', default: false, describe: 'Run the ticks due now, then exit (for cron, a Kubernetes CronJob, CI)' })
        .option('now', { type: 'string', describe: 'With --once: evaluate the ticks due at this time (ISO 8601) instead of the clock' })
        .option('concurrency', { alias: 'c', type: 'number', describe: 'Most assets running at once within a run (default: number of cores)' }),
    async (args) => {
      const now = args.now === undefined ? undefined : parseNow(args.now, args.once);
      const config = await session.config(args, args.concurrency);
      if (config.schedules.length === 0) {
        throw new ConfigError(
          'DUCKDAG_NO_SCHEDULES',
          `config ${config.configPath} declares no schedules; add schedules: [{ name, cron, select }] to defineConfig (see README, "Run it every day")`,
        );
      }
      const [{ Scheduler }, { systemClock }, { openWarehouseSession }, { serveLog }] = await Promise.all([
        import('../runtime/scheduler.ts'),
        import('../runtime/clock.ts'),
        import('../../storage/warehouse-session.ts'),
        import('./serve-log.ts'),
      ]);
      const clock = now === undefined ? systemClock : { ...systemClock, now: () => now };
      const log = serveLog(session.io, args.json);
      const scheduler = new Scheduler({
        schedules: config.schedules,
        graph: config.graph,
        openSession: () =>
          openWarehouseSession({ path: config.warehousePath, lockTimeoutMs: config.lockTimeoutMs, command: 'duckdag serve', duckdb: config.duckdb }, config.kinds),
        resources: config.resources,
        concurrency: config.concurrency,
        clock,
        onEvent: log.onEvent,
        onRunEvent: log.onRunEvent,
      });
      const stop = (signal: NodeJS.Signals) => {
        if (scheduler.stopped) process.exit(ExitCode.cancelled);
        log.stopping(signal, ': a run in progress is cancelled, no new tick starts (again to exit now)');
        void scheduler.stop();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        log.started(
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
          await scheduler.start();
          session.exitCode = scheduler.cancelledRun ? ExitCode.cancelled : ExitCode.ok;
        }
        log.stopped(session.exitCode);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    },
  );
}

function parseNow(text: string, once: boolean): Date {
  if (!once) throw new ConfigError('DUCKDAG_OPTION_INVALID', '--now needs --once: a long-running serve follows the clock');
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(date.getTime())) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `--now must be an ISO 8601 time with its offset, such as 2026-11-24T12:00:00Z, got "${text}"`);
  }
  return date;
}
