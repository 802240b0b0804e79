/**
 * What `duckdag serve` writes to stdout, for a terminal or for systemd, Docker and Kubernetes: one
 * line per tick and per run (and per failed asset, and per line an asset logs), prefixed with the time; with `--json`, the
 * same as JSON lines, each with `time` and `event`.
 */
import type { ScheduleDefinition } from '../kernel/schedule-definition.ts';
import type { RunEvent } from '../runtime/run-result.ts';
import type { SchedulerEvent, TickOutcome } from '../runtime/scheduler.ts';
import type { CliIo } from './cli-io.ts';
import { describeResult, describeRun } from './progress-view.ts';

export interface ServeLog {
  readonly onEvent: (event: SchedulerEvent) => void;
  readonly onRunEvent: (event: RunEvent) => void;
  /** The events of a run launched from the web UI: its start and end, beside what `onRunEvent` writes. */
  readonly onLaunchedRunEvent: (event: RunEvent) => void;
  /** The first lines: the process and each schedule with its next tick. */
  readonly started: (details: { readonly pid: number; readonly warehouse: string; readonly once: boolean }, schedules: readonly ScheduledNext[]) => void;
  readonly nothingDue: () => void;
  /** Where the web UI is; `tokenFrom` says whether the address carries a token made at start, or it comes from the environment. */
  readonly webUi: (address: string, tokenFrom: 'none' | 'env' | 'made') => void;
  /** A worker could not load the config, edited since serve started (its error is above); `retryAt`: the schedules' next try. */
  readonly configBroken: (retryAt: Date | null) => void;
  readonly stopping: (signal: string, detail: string) => void;
  readonly stopped: (exitCode: number) => void;
}

export interface ScheduledNext {
  readonly schedule: ScheduleDefinition;
  readonly nextTickAt: Date | null;
}

export function serveLog(io: CliIo, json: boolean, now: () => Date = () => new Date()): ServeLog {
  const write = (event: string, fields: Record<string, unknown>, text: string) => {
    const time = now().toISOString();
    io.stdout.write(json ? `${JSON.stringify({ time, event, ...fields })}\n` : `${time} ${text}\n`);
  };
  return {
    started: (details, schedules) => {
      write('serve_started', { ...details, schedules: schedules.map(({ schedule, nextTickAt }) => scheduleFields(schedule, nextTickAt)) }, `duckdag serve (pid ${details.pid}) on ${details.warehouse}${details.once ? ', once' : ''}`);
      if (json) return;
      for (const { schedule, nextTickAt } of schedules) {
        io.stdout.write(`  ${schedule.name}: ${schedule.cron} (${schedule.timezone}), ${schedule.select}${schedule.exclude === null ? '' : ` except ${schedule.exclude}`}, partition ${schedule.partition}, catch-up ${schedule.catchup}${schedule.catchup === 'all' ? ` (at most ${schedule.catchupLimit})` : ''}; next tick ${nextTickAt?.toISOString() ?? 'never'}\n`);
      }
    },
    onEvent: (event) => {
      switch (event.type) {
        case 'catchup':
          write('catchup', { schedule: event.schedule, policy: event.policy, passedOver: event.passedOver, due: event.due }, `catch-up ${event.schedule}: ${event.passedOver} older missed tick${event.passedOver === 1 ? '' : 's'} not run (catch-up ${event.policy}), ${event.due} due`);
          break;
        case 'tick':
          write('tick', { ...event.tick }, `tick ${describeTick(event.tick)}`);
          break;
        case 'run_finished':
          write('run_finished', { tick: event.tick, result: event.result }, describeRun(event.result));
          break;
        case 'waiting':
          write('waiting', { until: event.until, schedules: event.schedules }, event.until === null ? 'no schedule has another tick' : `waiting until ${event.until} (${event.schedules.join(', ')})`);
          break;
        case 'warehouse_busy':
          write('warehouse_busy', { message: event.message, retryInMs: event.retryInMs }, `${event.message} Trying again.`);
          break;
      }
    },
    onRunEvent: (event) => {
      if (event.type === 'asset_log') write('asset_log', { asset: event.asset, message: event.message }, `  ${event.asset}: ${event.message}`);
      if (event.type === 'asset_finished' && (event.result.status === 'failed' || event.result.status === 'cancelled')) {
        write('asset_finished', { result: event.result }, describeResult(event.result));
      }
    },
    onLaunchedRunEvent: (event) => {
      if (event.type === 'run_started') {
        write('launched_run_started', { runId: event.runId, partitionKey: event.plan.partitionKey, selection: event.plan.selection }, `run ${event.runId} launched from the web UI (${event.plan.selection}, partition ${event.plan.partitionKey})`);
      }
      if (event.type === 'run_finished') write('launched_run_finished', { result: event.result }, describeRun(event.result));
    },
    nothingDue: () => write('nothing_due', {}, 'no tick is due'),
    webUi: (address, tokenFrom) =>
      write(
        'web_ui',
        { url: address, token: tokenFrom },
        `web UI at ${address}${tokenFrom === 'env' ? ' (token from DUCKDAG_UI_TOKEN)' : tokenFrom === 'made' ? ' (the token is needed by every request from another machine)' : ''}`,
      ),
    configBroken: (retryAt) =>
      write(
        'config_broken',
        { retryAt: retryAt?.toISOString() ?? null },
        `the config could not be loaded (the error is above); serve goes on: the next page${retryAt === null ? '' : `, and the schedules at ${retryAt.toISOString()},`} will load it again`,
      ),
    stopping: (signal, detail) => write('stopping', { signal }, `${signal}: stopping${detail}`),
    stopped: (exitCode) => write('serve_stopped', { exitCode }, `stopped (exit ${exitCode})`),
  };
}

function scheduleFields(schedule: ScheduleDefinition, nextTickAt: Date | null): Record<string, unknown> {
  return {
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    select: schedule.select,
    exclude: schedule.exclude,
    partition: schedule.partition,
    catchup: schedule.catchup,
    catchupLimit: schedule.catchupLimit,
    nextTickAt: nextTickAt?.toISOString() ?? null,
  };
}

function describeTick(tick: TickOutcome): string {
  const head = `${tick.schedule} ${tick.tickAt} → partition ${tick.partitionKey}`;
  if (tick.status === 'started') return `${head}: run ${tick.runId} started`;
  return `${head}: ${tick.status}${tick.reason === null ? '' : ` (${tick.reason})`}`;
}
