/**
 * Schedules, as the config declares them: a name, a cron expression read in a timezone, the assets
 * to run, which partition a tick runs, and how many missed ticks to catch up after downtime. The
 * cron arithmetic is croner's (Vixie cron's rules for daylight-saving changes: a time skipped by
 * the change runs once, right after it; a time that happens twice runs once).
 */
import { Cron } from 'croner';
import type { AssetGraph } from './asset-graph.ts';
import { selectAssets } from './asset-selection.ts';
import { ConfigError, describeError } from './errors.ts';

/** Which partition a tick runs: the date of the tick in the schedule's timezone, or the day before. */
export const TickPartition = {
  tickDay: 'tick_day',
  previousDay: 'previous_day',
} as const;
export type TickPartition = (typeof TickPartition)[keyof typeof TickPartition];

/** Which of the ticks missed while nothing was running are run. */
export const Catchup = {
  /** Only the newest missed tick. */
  latest: 'latest',
  /** Every missed tick, oldest first, up to `catchupLimit` (the newest ones). */
  all: 'all',
} as const;
export type Catchup = (typeof Catchup)[keyof typeof Catchup];

/** A schedule as written in the config. */
export interface ScheduleSpec {
  /** snake_case, unique in the project. */
  readonly name: string;
  /**
   * Five fields (minute hour day-of-month month day-of-week), or six with seconds first.
   * @example '0 12 * * *'
   */
  readonly cron: string;
  /** An IANA timezone the cron expression is read in. @default 'UTC' */
  readonly timezone?: string;
  /** The assets each tick materializes, in `--select` syntax. @default '*' */
  readonly select?: string;
  /** Assets to leave out, same syntax. */
  readonly exclude?: string;
  /** Which partition a tick runs. @default 'tick_day' */
  readonly partition?: TickPartition;
  /** Which missed ticks run after downtime. @default 'latest' */
  readonly catchup?: Catchup;
  /** With `catchup: 'all'`, the most missed ticks run (the newest ones). @default 5 */
  readonly catchupLimit?: number;
  readonly description?: string;
}

/** A schedule after defaults and checks. */
export interface ScheduleDefinition {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly select: string;
  readonly exclude: string | null;
  readonly partition: TickPartition;
  readonly catchup: Catchup;
  /** How many missed ticks run at most: 1 under `latest`. */
  readonly catchupLimit: number;
  readonly description: string;
  /** The assets a tick materializes, in the order they run. */
  readonly assets: readonly string[];
  /** The cron arithmetic; never started, so it sets no timer. */
  readonly clock: Cron;
}

const scheduleNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** Checks the config's schedules against the graph and applies their defaults. */
export function resolveSchedules(specs: readonly ScheduleSpec[], graph: AssetGraph, source: string): ScheduleDefinition[] {
  if (!Array.isArray(specs)) throw new ConfigError('DUCKDAG_SCHEDULE_INVALID', `${source}: schedules must be an array`);
  const seen = new Set<string>();
  return specs.map((spec, index) => {
    const schedule = resolveSchedule(spec, graph, `${source}: schedules[${index}]`);
    if (seen.has(schedule.name)) {
      throw new ConfigError('DUCKDAG_SCHEDULE_INVALID', `${source}: two schedules are named "${schedule.name}"; schedule names must be unique`);
    }
    seen.add(schedule.name);
    return schedule;
  });
}

function resolveSchedule(spec: ScheduleSpec, graph: AssetGraph, where: string): ScheduleDefinition {
  const fail = (message: string, cause?: unknown): never => {
    throw new ConfigError('DUCKDAG_SCHEDULE_INVALID', message, { cause });
  };
  if (typeof spec !== 'object' || spec === null) fail(`${where} must be an object with name and cron`);
  if (typeof spec.name !== 'string' || !scheduleNamePattern.test(spec.name)) {
    fail(`${where}: name ${JSON.stringify(spec.name)} is invalid: use snake_case (a lowercase letter, then lowercase letters, digits or _)`);
  }
  const named = `schedule ${spec.name}`;
  const timezone = spec.timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    fail(`${named}: timezone ${JSON.stringify(timezone)} is not an IANA timezone (such as UTC or America/Argentina/Buenos_Aires)`);
  }
  if (typeof spec.cron !== 'string') fail(`${named}: cron must be a string such as "0 12 * * *"`);
  let clock: Cron | undefined;
  try {
    clock = new Cron(spec.cron, { timezone, paused: true, mode: '5-or-6-parts' });
  } catch (error) {
    fail(`${named}: cron ${JSON.stringify(spec.cron)} is invalid: ${describeError(error)} (five fields: minute hour day-of-month month day-of-week, or six with seconds first)`, error);
  }
  const partition = spec.partition ?? TickPartition.tickDay;
  if (!Object.values(TickPartition).includes(partition)) {
    fail(`${named}: partition must be "tick_day" or "previous_day", got ${JSON.stringify(partition)}`);
  }
  const catchup = spec.catchup ?? Catchup.latest;
  if (!Object.values(Catchup).includes(catchup)) fail(`${named}: catchup must be "latest" or "all", got ${JSON.stringify(catchup)}`);
  const limit = spec.catchupLimit ?? 5;
  if (!Number.isInteger(limit) || limit < 1) fail(`${named}: catchupLimit must be a positive integer, got ${JSON.stringify(limit)}`);
  if (spec.catchupLimit !== undefined && catchup !== Catchup.all) fail(`${named}: catchupLimit applies only with catchup: "all"`);
  const select = spec.select ?? '*';
  let assets: string[] = [];
  try {
    assets = selectAssets(graph, select, spec.exclude);
  } catch (error) {
    fail(`${named}: ${describeError(error)}`, error);
  }
  return {
    name: spec.name,
    cron: spec.cron,
    timezone,
    select,
    exclude: spec.exclude ?? null,
    partition,
    catchup,
    catchupLimit: catchup === Catchup.all ? limit : 1,
    description: spec.description ?? '',
    assets,
    clock: clock!,
  };
}
