/**
 * `raw_listings`: every listing exactly as MercadoLibre sent it, one row per listing per page,
 * read from the day's responses with DuckDB's JSON reader.
 */
import { DuckdagError } from '../core/errors.ts';
import { sql } from '../core/sql.ts';
import { tableAsset } from '../core/table-asset.ts';
import { listingResponses } from './listing-responses.ts';
import { rawListingsQuery, searchPagesGlob } from './listing-queries.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

export function rawListingsAsset(settings: PipelineSettings) {
  return tableAsset({
    name: 'raw_listings',
    ...dailySnapshot,
    tags: { layer: 'raw', source: 'mercadolibre' },
    description: 'Every listing of every search page as received: category, page offset, position, fetch time and the full JSON.',
    retry: { attempts: 2, delayMs: 5000 },
    materialize: async (_, context) => {
      const dir = await listingResponses(settings, context);
      const pages = searchPagesGlob(dir);
      const [found] = await context.query<{ files: number }>(sql`SELECT count(*) AS files FROM glob(${pages})`);
      if ((found?.files ?? 0) === 0) {
        throw new DuckdagError('MERCADOLIBRE_NO_RESPONSES', `no search responses found at ${pages}`, { exitCode: 1 });
      }
      await context.output.createAs(rawListingsQuery(pages, context.partitionKey ?? ''));
      context.addMetadata({ pages: found?.files ?? 0 });
    },
  });
}
