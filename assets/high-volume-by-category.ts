/**
 * `high_volume_by_category`: per category, how many listings reached the threshold and their
 * estimated revenue, with the previous day's figures and the change (NULL when that day was never
 * materialized).
 */
import { previousPartition, shiftPartitionKey, sqlAsset } from 'duckdag';
import { highVolumeByCategoryQuery } from './change-queries.ts';
import { dailySnapshot } from './daily-snapshot.ts';
import { highVolumeSales } from './high-volume-sales.ts';

export const highVolumeByCategory = sqlAsset({
  name: 'high_volume_by_category',
  ...dailySnapshot,
  tags: { layer: 'report' },
  description: 'High-volume listings and estimated revenue per category, with the change from the previous day.',
  deps: { today: highVolumeSales, previous: previousPartition(highVolumeSales) },
  onUpstreamEmpty: 'run',
  query: ({ today, previous }, context) => {
    const partitionKey = context.partitionKey ?? '';
    return highVolumeByCategoryQuery(today, previous, partitionKey, shiftPartitionKey(partitionKey, -1));
  },
});
