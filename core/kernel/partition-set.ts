/**
 * Several daily partitions at once, as `materialize --partition` takes them for a backfill:
 * inclusive ranges `2026-11-01..2026-11-20` and single days, separated by commas, in date order.
 */
import { ConfigError } from './errors.ts';
import { parsePartitionKey } from './daily-partitions.ts';

const dayMs = 86_400_000;

/** Whether `text` names more than one partition (a range or a list). */
export function isPartitionSet(text: string): boolean {
  return text.includes(',') || text.includes('..');
}

/** The partitions `text` names, oldest first, each once. */
export function parsePartitionSet(text: string, source = '--partition'): string[] {
  const keys = new Set<string>();
  for (const item of text.split(',').map((part) => part.trim())) {
    if (item === '') throw new ConfigError('DUCKDAG_PARTITION_INVALID', `${source} has an empty item in "${text}"; separate dates and ranges with single commas`);
    const [first, last, extra] = item.split('..');
    if (extra !== undefined) throw new ConfigError('DUCKDAG_PARTITION_INVALID', `${source}: "${item}" is not a range; write FIRST..LAST, such as 2026-11-01..2026-11-20`);
    const from = Date.parse(`${parsePartitionKey(first!, source)}T00:00:00Z`);
    const to = last === undefined ? from : Date.parse(`${parsePartitionKey(last, source)}T00:00:00Z`);
    if (to < from) throw new ConfigError('DUCKDAG_PARTITION_INVALID', `${source}: range "${item}" ends before it starts; write the earlier date first`);
    for (let day = from; day <= to; day += dayMs) keys.add(new Date(day).toISOString().slice(0, 10));
  }
  return [...keys].sort();
}
