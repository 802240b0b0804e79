/**
 * `raw_listings`: every listing exactly as MercadoLibre sent it, one row per listing per page,
 * read from the day's responses with DuckDB's JSON reader.
 */
import { AssetFailure, freshness, rowCount, sql, tableAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { rawListingsQuery, searchPagesGlob } from './listing-queries.ts';
import { listingSource } from './pipeline-resources.ts';

export const rawListings = tableAsset({
  name: 'raw_listings',
  ...dailySnapshot,
  tags: { layer: 'raw', source: 'mercadolibre' },
  description: 'Every listing of every search page as received: category, page offset, position, fetch time and the full JSON.',
  retry: { attempts: 2, delayMs: 5000 },
  resources: { listingSource },
  // Warnings: a stale or empty day is reported, and judged again by the checks downstream.
  checks: [rowCount({ min: 1 }, { severity: 'warn' }), freshness('fetched_at', 48, { severity: 'warn' })],
  materialize: async (_, context) => {
    const dir = await context.resources.listingSource.responsesFor(context);
    const pages = searchPagesGlob(dir);
    const [found] = await context.query<{ files: number }>(sql`SELECT count(*) AS files FROM glob(${pages})`);
    if ((found?.files ?? 0) === 0) {
      throw new AssetFailure(`no search responses found at ${pages}`, { code: 'MERCADOLIBRE_NO_RESPONSES' });
    }
    await context.output.createAs(rawListingsQuery(pages, context.partitionKey ?? ''));
    context.addMetadata({ pages: found?.files ?? 0 });
  },
});
