/**
 * `high_volume_sales`: cleaned listings whose estimated revenue (price_ars × sold_quantity) reaches
 * the threshold, best first. Empty means there is nothing to report, and the email is skipped.
 */
import { acceptedValues, relationships, sqlAsset } from 'duckdag';
import { cleanedListings } from './cleaned-listings.ts';
import { dailySnapshot } from './daily-snapshot.ts';
import { revenueReachesThreshold } from './listing-checks.ts';
import { highVolumeSalesQuery } from './listing-queries.ts';
import { settings } from './pipeline-resources.ts';

export const highVolumeSales = sqlAsset({
  name: 'high_volume_sales',
  ...dailySnapshot,
  tags: { layer: 'report' },
  description: 'Listings with price_ars × sold_quantity ≥ HIGH_VOLUME_THRESHOLD_ARS (the boundary counts), by revenue.',
  deps: { cleaned: cleanedListings },
  resources: { settings },
  checks: [revenueReachesThreshold, acceptedValues('currency_id', ['ARS', 'USD']), relationships('id', cleanedListings)],
  query: ({ cleaned }, context) => highVolumeSalesQuery(cleaned.partition, context.resources.settings.thresholdArs),
});
