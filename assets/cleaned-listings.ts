/**
 * `cleaned_listings`: one typed row per listing id per day. Its metadata reconciles the counts:
 * raw = cleaned + duplicates + rejected.
 */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { DuckdagError } from '../core/errors.ts';
import { sql } from '../core/sql.ts';
import { tableAsset } from '../core/table-asset.ts';
import { checkedListings, cleanedListingsQuery, listingCountsQuery } from './listing-queries.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

interface Counts {
  raw: number;
  cleaned: number;
  duplicates: number;
  rejected: number;
  usd_without_rate: number;
  other_currency: number;
}

export function cleanedListingsAsset(settings: PipelineSettings, raw: TableAssetDefinition) {
  return tableAsset({
    name: 'cleaned_listings',
    ...dailySnapshot,
    tags: { layer: 'clean' },
    description: 'One typed row per listing id per day; USD prices converted with USD_ARS_RATE when set.',
    deps: { raw },
    materialize: async ({ raw }, context) => {
      const checked = checkedListings(raw, settings.usdArsRate);
      await context.output.createAs(cleanedListingsQuery(checked));
      const [counts] = await context.query<Counts>(listingCountsQuery(checked, context.output.table));
      const [written] = await context.query<{ rows: number }>(sql`SELECT count(*) AS rows FROM ${context.output.table}`);
      if (counts === undefined || written?.rows !== counts.cleaned || counts.raw !== counts.cleaned + counts.duplicates + counts.rejected) {
        throw new DuckdagError('MERCADOLIBRE_COUNTS_DO_NOT_RECONCILE', `listing counts do not reconcile: ${JSON.stringify({ ...counts, written: written?.rows })}`, {
          exitCode: 1,
        });
      }
      if (counts.usd_without_rate > 0) {
        context.log(`${counts.usd_without_rate} USD listings have no price_ars: set USD_ARS_RATE to convert them`);
      }
      if (counts.other_currency > 0) {
        context.log(`${counts.other_currency} listings in a currency other than ARS and USD (or none) have no price_ars and cannot qualify`);
      }
      context.addMetadata({ counts, usd_ars_rate: settings.usdArsRate });
    },
  });
}
