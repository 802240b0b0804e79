/**
 * `high_volume_sales`: cleaned listings whose estimated revenue (price_ars × sold_quantity) reaches
 * the threshold, best first. Empty means there is nothing to report, and the email is skipped.
 */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { highVolumeSalesQuery } from './listing-queries.ts';
import { sqlAsset } from '../core/sql-asset.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

export function highVolumeSalesAsset(settings: PipelineSettings, cleaned: TableAssetDefinition) {
  return sqlAsset({
    name: 'high_volume_sales',
    ...dailySnapshot,
    tags: { layer: 'report' },
    description: 'Listings with price_ars × sold_quantity ≥ HIGH_VOLUME_THRESHOLD_ARS (the boundary counts), by revenue.',
    deps: { cleaned },
    query: ({ cleaned }) => highVolumeSalesQuery(cleaned.partition, settings.thresholdArs),
  });
}
