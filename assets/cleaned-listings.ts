/**
 * `cleaned_listings`: one typed row per listing id per day. Its metadata reconciles the counts:
 * raw = cleaned + duplicates + rejected.
 */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { DuckdagError } from '../core/errors.ts';
import { sql } from '../core/sql.ts';
import { tableAsset } from '../core/table-asset.ts';
import { classifiedListings } from './classified-listings.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

interface Counts {
  raw: number;
  cleaned: number;
  duplicates: number;
  rejected: number;
  usd_without_rate: number;
}

export function cleanedListingsAsset(settings: PipelineSettings, raw: TableAssetDefinition) {
  return tableAsset({
    name: 'cleaned_listings',
    ...dailySnapshot,
    tags: { layer: 'clean' },
    description: 'One typed row per listing id per day; USD prices converted with USD_ARS_RATE when set.',
    deps: { raw },
    materialize: async ({ raw }, context) => {
      const classified = classifiedListings(raw, settings.usdArsRate);
      await context.output.createAs(sql`
        SELECT snapshot_date, id, site_id, title, price, currency_id, sold_quantity, thumbnail, permalink,
               category_id, created_date, price_ars
        FROM ${classified}
        WHERE occurrence = 1`);
      const [counts] = await context.query<Counts>(sql`
        SELECT
          count(*) AS raw,
          count(*) FILTER (WHERE occurrence = 1) AS cleaned,
          count(*) FILTER (WHERE occurrence > 1) AS duplicates,
          count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected,
          count(*) FILTER (WHERE occurrence = 1 AND currency_id = 'USD' AND price_ars IS NULL) AS usd_without_rate
        FROM ${classified}`);
      const [written] = await context.query<{ rows: number }>(sql`SELECT count(*) AS rows FROM ${context.output.table}`);
      if (counts === undefined || written?.rows !== counts.cleaned || counts.raw !== counts.cleaned + counts.duplicates + counts.rejected) {
        throw new DuckdagError('MERCADOLIBRE_COUNTS_DO_NOT_RECONCILE', `listing counts do not reconcile: ${JSON.stringify({ ...counts, written: written?.rows })}`, {
          exitCode: 1,
        });
      }
      if (counts.usd_without_rate > 0) {
        context.log(`${counts.usd_without_rate} USD listings have no price_ars: set USD_ARS_RATE to convert them`);
      }
      context.addMetadata({ counts, usd_ars_rate: settings.usdArsRate });
    },
  });
}
