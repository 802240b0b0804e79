/**
 * Daily partitioning: an asset that declares it materializes one day at a time, keyed
 * `YYYY-MM-DD`, into the rows whose partition column holds that date.
 */
import { ConfigError } from './errors.ts';

/** How a partitioned asset is split: one partition per UTC day, stored in a DATE column. */
export interface DailyPartitions {
  readonly kind: 'daily';
  /** The column of the asset's table that holds the partition date. */
  readonly column: string;
}

/**
 * Declares daily partitions stored in `column`.
 * @example partitions: dailyPartitions('snapshot_date')
 */
export function dailyPartitions(column: string): DailyPartitions {
  return { kind: 'daily', column };
}

const partitionKeyPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks that `key` is a real calendar date written `YYYY-MM-DD`, and returns it. */
export function parsePartitionKey(key: string, source = '--partition'): string {
  const match = partitionKeyPattern.exec(key);
  const date = new Date(`${key}T00:00:00Z`);
  if (match === null || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== key) {
    throw new ConfigError(
      'DUCKDAG_PARTITION_INVALID',
      `${source} must be a date written YYYY-MM-DD, got "${key}"`,
    );
  }
  return key;
}

/** Today's partition key in UTC. */
export function todayPartitionKey(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The partition key `days` days after `key` (before it, when negative). */
export function shiftPartitionKey(key: string, days: number): string {
  const date = new Date(`${key}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
