/** What every asset of the pipeline shares: its group, and one partition per day in `snapshot_date`. */
import { dailyPartitions } from 'duckdag';

export const dailySnapshot = {
  group: 'mercadolibre',
  partitions: dailyPartitions('snapshot_date'),
} as const;
