/**
 * `high_volume_changes`: every listing high-volume on the day or the day before, and how it changed:
 * `entered`, `left`, `moved` (estimated revenue or sold bucket), `unchanged`; on a day whose previous
 * day was never materialized, `no_previous_day`. It reads the previous day's partition of
 * `high_volume_sales`, not the previous run's, so a backfill gives what daily runs give.
 */
import { previousPartition, shiftPartitionKey, sqlAsset } from 'duckdag';
import { highVolumeChangesQuery } from './change-queries.ts';
import { dailySnapshot } from './daily-snapshot.ts';
import { highVolumeSales } from './high-volume-sales.ts';

export const highVolumeChanges = sqlAsset({
  name: 'high_volume_changes',
  ...dailySnapshot,
  tags: { layer: 'report' },
  description: 'High-volume listings of the day and the day before: entered, left, moved (revenue or sold bucket) or unchanged.',
  deps: { today: highVolumeSales, previous: previousPartition(highVolumeSales) },
  // A day with no high-volume listing still records which ones left.
  onUpstreamEmpty: 'run',
  query: ({ today, previous }, context) => {
    const partitionKey = context.partitionKey ?? '';
    return highVolumeChangesQuery(today, previous, partitionKey, shiftPartitionKey(partitionKey, -1));
  },
});
