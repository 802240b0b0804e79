/**
 * `cleaned_listings`: one typed row per listing id per day. Its metadata reconciles the counts:
 * raw = cleaned + duplicates + rejected.
 */
import { AssetFailure, sql, tableAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { checkedListings, cleanedListingsQuery, listingCountsQuery } from './listing-queries.ts';
import { settings } from './pipeline-resources.ts';
import { rawListings } from './raw-listings.ts';

interface Counts {
  raw: number;
  cleaned: number;
  duplicates: number;
  rejected: number;
  usd_without_rate: number;
  other_currency: number;
}

export const cleanedListings = tableAsset({
  name: 'cleaned_listings',
  ...dailySnapshot,
  tags: { layer: 'clean' },
  description: 'One typed row per listing id per day; USD prices converted with USD_ARS_RATE when set.',
  deps: { raw: rawListings },
  resources: { settings },
  materialize: async ({ raw }, context) => {
    const { usdArsRate } = context.resources.settings;
    const checked = checkedListings(raw, usdArsRate);
    await context.output.createAs(cleanedListingsQuery(checked));
    const [counts] = await context.query<Counts>(listingCountsQuery(checked, context.output.table));
    const [written] = await context.query<{ rows: number }>(sql`SELECT count(*) AS rows FROM ${context.output.table}`);
    if (counts === undefined || written?.rows !== counts.cleaned || counts.raw !== counts.cleaned + counts.duplicates + counts.rejected) {
      throw new AssetFailure(`listing counts do not reconcile: ${JSON.stringify({ ...counts, written: written?.rows })}`, {
        code: 'MERCADOLIBRE_COUNTS_DO_NOT_RECONCILE',
      });
    }
    if (counts.usd_without_rate > 0) {
      context.log(`${counts.usd_without_rate} USD listings have no price_ars: set USD_ARS_RATE to convert them`);
    }
    if (counts.other_currency > 0) {
      context.log(`${counts.other_currency} listings in a currency other than ARS and USD (or none) have no price_ars and cannot qualify`);
    }
    context.addMetadata({ counts, usd_ars_rate: usdArsRate });
  },
});
