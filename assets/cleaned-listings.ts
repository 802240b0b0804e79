/**
 * `cleaned_listings`: one typed row per listing id per day. Its metadata counts how the raw
 * listings split, and its checks hold the day back when they do not reconcile
 * (raw = cleaned + duplicates + rejected) or too many were rejected.
 */
import { tableAsset, unique } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { countsReconcile, priceArsNotNegative, rejectedShare, type ListingCounts } from './listing-checks.ts';
import { checkedListings, cleanedListingsQuery, listingCountsQuery } from './listing-queries.ts';
import { settings } from './pipeline-resources.ts';
import { rawListings } from './raw-listings.ts';

export const cleanedListings = tableAsset({
  name: 'cleaned_listings',
  ...dailySnapshot,
  tags: { layer: 'clean' },
  description: 'One typed row per listing id per day; USD prices converted with USD_ARS_RATE when set.',
  deps: { raw: rawListings },
  resources: { settings },
  checks: [unique('id'), priceArsNotNegative, countsReconcile, rejectedShare],
  materialize: async ({ raw }, context) => {
    const { usdArsRate } = context.resources.settings;
    const checked = checkedListings(raw, usdArsRate);
    await context.output.createAs(cleanedListingsQuery(checked));
    const [counts] = await context.query<ListingCounts>(listingCountsQuery(checked, context.output.table));
    if (counts === undefined) return;
    if (counts.usd_without_rate > 0) {
      context.log(`${counts.usd_without_rate} USD listings have no price_ars: set USD_ARS_RATE to convert them`);
    }
    if (counts.other_currency > 0) {
      context.log(`${counts.other_currency} listings in a currency other than ARS and USD (or none) have no price_ars and cannot qualify`);
    }
    context.addMetadata({ counts, usd_ars_rate: usdArsRate });
  },
});
