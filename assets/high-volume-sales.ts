/**
 * `high_volume_sales`: cleaned listings whose estimated revenue (price_ars × sold_quantity) reaches
 * the threshold, best first. Empty means there is nothing to report, and the email is skipped.
 */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { sql } from '../core/sql.ts';
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
    query: ({ cleaned }) => sql`
      SELECT
        snapshot_date, id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity,
        price_ars * sold_quantity AS revenue_ars,
        CAST(row_number() OVER (ORDER BY price_ars * sold_quantity DESC, id) AS INTEGER) AS revenue_rank
      FROM ${cleaned.partition}
      WHERE sold_quantity IS NOT NULL
        AND price_ars IS NOT NULL
        AND price_ars * sold_quantity >= ${settings.thresholdArs}
      ORDER BY revenue_rank`,
  });
}
