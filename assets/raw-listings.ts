/**
 * `raw_listings`: every listing exactly as MercadoLibre sent it, one row per listing per page,
 * read from the day's responses with DuckDB's JSON reader; and one row per page that cannot be used
 * (`listing` NULL, the reason in `page_error`), so one bad page is quarantined instead of sinking the day.
 */
import { join } from 'node:path';
import { AssetFailure, joinSql, sql, tableAsset, type TableAssetContext } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { rawListingsQuery, unreadPageError } from './listing-queries.ts';
import { listingSource } from './pipeline-resources.ts';
import { compactPageProblem, screenSearchPages, type RejectedPage, type SearchPageFile } from './search-pages.ts';

/** Rejected pages named one by one in the run log; the rest are counted. */
const loggedPages = 20;

export const rawListings = tableAsset({
  name: 'raw_listings',
  ...dailySnapshot,
  tags: { layer: 'raw', source: 'mercadolibre' },
  description: 'Every listing of every search page as received: category, page offset, position, fetch time and the full JSON; and each unusable page with its reason.',
  retry: { attempts: 2, delayMs: 5000 },
  resources: { listingSource },
  materialize: async (_, context) => {
    const dir = await context.resources.listingSource.responsesFor(context);
    const pages = await screenSearchPages(dir);
    if (pages.files.length === 0) {
      throw new AssetFailure(`no search responses found at ${join(dir, 'search', '*', '*.json')}`, { code: 'MERCADOLIBRE_NO_RESPONSES', retryable: false });
    }
    await context.output.createAs(rawListingsQuery(pages, context.partitionKey ?? ''));
    const rejected = [...pages.rejected, ...(await explainUnreadPages(context, pages.compact))].sort((a, b) => (a.file < b.file ? -1 : 1));
    if (rejected.length === pages.files.length) {
      throw new AssetFailure(`none of the ${pages.files.length} search pages in ${dir} can be used: ${describe(rejected.slice(0, 3))}`, {
        code: 'MERCADOLIBRE_NO_USABLE_PAGES',
        retryable: false,
      });
    }
    for (const page of rejected.slice(0, loggedPages)) context.log(`page ${page.file} quarantined: ${page.reason}`);
    if (rejected.length > loggedPages) context.log(`… and ${rejected.length - loggedPages} more quarantined pages (see rejected_pages)`);
    context.addMetadata({ pages: pages.files.length, rejected_pages: rejected.length });
  },
});

/** Finds the reason of each compact page DuckDB read without results, and records it on its row. */
async function explainUnreadPages(context: TableAssetContext<unknown>, compact: readonly SearchPageFile[]): Promise<RejectedPage[]> {
  const unread = await context.query<{ category_id: string; page_offset: number }>(
    sql`SELECT category_id, page_offset FROM ${context.output.table} WHERE page_error = ${unreadPageError}`,
  );
  if (unread.length === 0) return [];
  const byPage = new Map(compact.map((page) => [`${page.categoryId}/${page.pageOffset}`, page]));
  const explained = await Promise.all(
    unread.map(async (row) => {
      const page = byPage.get(`${row.category_id}/${row.page_offset}`);
      if (page === undefined) throw new Error(`page ${row.category_id}/${row.page_offset} was read but not listed`);
      return { ...page, reason: await compactPageProblem(page) };
    }),
  );
  const reasons = explained.map((page) => sql`(${page.categoryId}, ${page.pageOffset}, ${page.reason})`);
  await context.execute(
    sql`UPDATE ${context.output.table} AS raw SET page_error = explained.reason
        FROM (VALUES ${joinSql(reasons)}) AS explained(category_id, page_offset, reason)
        WHERE raw.page_error = ${unreadPageError} AND raw.category_id = explained.category_id AND raw.page_offset = explained.page_offset`,
  );
  return explained;
}

function describe(pages: readonly RejectedPage[]): string {
  return pages.map((page) => `${page.file}: ${page.reason}`).join('; ');
}
