/**
 * Which ticks of a schedule are due, from the last tick the history records and the time now, and
 * which partition each one runs. A schedule that never ticked has its newest past tick due; after
 * downtime the catch-up policy picks among the ticks missed since the last recorded one.
 */
import type { ScheduleDefinition } from '../kernel/schedule-definition.ts';

/** One tick of one schedule. */
export interface Tick {
  readonly schedule: string;
  readonly tickAt: Date;
  readonly partitionKey: string;
}

export interface DueTicks {
  /** Oldest first. */
  readonly ticks: readonly Tick[];
  /** How many older missed ticks the catch-up policy passes over (counted up to `countLimit`). */
  readonly passedOver: number;
}

/** How far back passed-over ticks are counted, so a per-second schedule after a week down costs nothing. */
const countLimit = 1000;

/** The ticks due at `now`: after `lastTickAt` (or the newest one if the schedule never ticked), at most `now`. */
export function dueTicks(schedule: ScheduleDefinition, lastTickAt: Date | null, now: Date): DueTicks {
  const limit = lastTickAt === null ? 1 : schedule.catchupLimit;
  // A tick at exactly `now` is due: croner lists runs strictly before its reference.
  const recent = schedule.clock.previousRuns(lastTickAt === null ? 1 : limit + countLimit, new Date(now.getTime() + 1));
  const missed = lastTickAt === null ? recent : recent.filter((tickAt) => tickAt.getTime() > lastTickAt.getTime());
  const due = missed.slice(0, limit).reverse();
  return {
    ticks: due.map((tickAt) => ({ schedule: schedule.name, tickAt, partitionKey: tickPartition(schedule, tickAt) })),
    passedOver: lastTickAt === null ? 0 : missed.length - due.length,
  };
}

/** The first tick after `after`, or null when the expression has no more. */
export function nextTickAt(schedule: ScheduleDefinition, after: Date): Date | null {
  return schedule.clock.nextRun(after);
}

/** The partition a tick runs: its date in the schedule's timezone, or the day before. */
export function tickPartition(schedule: Pick<ScheduleDefinition, 'timezone' | 'partition'>, tickAt: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: schedule.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(tickAt);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const day = new Date(Date.UTC(field('year'), field('month') - 1, field('day') - (schedule.partition === 'previous_day' ? 1 : 0)));
  return day.toISOString().slice(0, 10);
}
