/**
 * The checks that protect the alert: a day whose listings went bad (many rejected, counts that do
 * not add up, repeated ids, a negative price, a currency the conversion does not know) is held
 * back before it reaches `high_volume_sales`, so no wrong email goes out.
 */
import { sql, sqlCheck } from 'duckdag';
import type { PipelineSettings } from './pipeline-settings.ts';

/** The resources the checks read, as the assets carrying them declare. */
type PipelineSettingsResources = { readonly settings: PipelineSettings };

/** How the raw listings split, as `cleaned_listings` reports them in its metadata. */
export interface ListingCounts {
  readonly raw: number;
  readonly cleaned: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly usd_without_rate: number;
  readonly other_currency: number;
}

function countsOf(metadata: Readonly<Record<string, unknown>>): Partial<ListingCounts> {
  return (metadata.counts ?? {}) as Partial<ListingCounts>;
}

/** raw = cleaned + duplicates + rejected, and the rows written are the cleaned ones. */
export const countsReconcile = sqlCheck<PipelineSettingsResources>({
  name: 'counts_reconcile',
  description: 'raw = cleaned + duplicates + rejected, and every cleaned listing written',
  query: (rows, { metadata }) => {
    const counts = countsOf(metadata);
    return sql`SELECT * FROM (
        SELECT ${counts.raw ?? null} AS raw, ${counts.cleaned ?? null} AS cleaned, ${counts.duplicates ?? null} AS duplicates,
               ${counts.rejected ?? null} AS rejected, (SELECT count(*) FROM ${rows}) AS written)
      WHERE raw IS NULL OR raw IS DISTINCT FROM cleaned + duplicates + rejected OR written IS DISTINCT FROM cleaned`;
  },
});

/** At most MAX_REJECTED_SHARE of the raw listings rejected (no id, a bad price or sold_quantity). */
export const rejectedShare = sqlCheck<PipelineSettingsResources>({
  name: 'rejected_share',
  description: 'rejected listings at most MAX_REJECTED_SHARE of the raw listings',
  query: (_, { metadata, resources }) => {
    const counts = countsOf(metadata);
    const max = resources.settings.maxRejectedShare;
    return sql`SELECT rejected, raw, round(rejected / raw, 4) AS rejected_share, ${max} AS max_rejected_share
      FROM (SELECT CAST(${counts.rejected ?? 0} AS BIGINT) AS rejected, CAST(${counts.raw ?? 0} AS BIGINT) AS raw)
      WHERE rejected > ${max} * raw`;
  },
});

/** No negative price in ARS (the cleaning rejects negative prices; a bad rate would make them). */
export const priceArsNotNegative = sqlCheck({
  name: 'price_ars_not_negative',
  columns: ['price_ars'],
  query: (rows) => sql`SELECT * FROM ${rows} WHERE price_ars < 0`,
});

/** Every qualifying listing reaches the threshold it was selected by. */
export const revenueReachesThreshold = sqlCheck<PipelineSettingsResources>({
  name: 'revenue_reaches_threshold',
  description: 'revenue_ars ≥ HIGH_VOLUME_THRESHOLD_ARS',
  columns: ['revenue_ars'],
  query: (rows, { resources }) => sql`SELECT * FROM ${rows} WHERE revenue_ars IS NULL OR revenue_ars < ${resources.settings.thresholdArs}`,
});
