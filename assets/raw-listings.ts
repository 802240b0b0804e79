/**
 * `raw_listings`: every listing exactly as MercadoLibre sent it, one row per listing per page,
 * read from the day's responses with DuckDB's JSON reader, with the fields the pipeline reads parsed
 * once here (nothing downstream parses the JSON again); and one row per page that cannot be used
 * (`listing` NULL, the reason in `page_error`), so one bad page is quarantined instead of sinking the day.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssetFailure, freshness, rowCount, sql, tableAsset, type TableAssetContext } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { rawListingsColumns, rawListingsQuery, rejectedPageRowsQuery } from './listing-queries.ts';
import { listingSource } from './pipeline-resources.ts';
import { readSearchPage } from './search-page-problem.ts';
import { screenSearchPages, type RejectedPage, type SearchPageFile } from './search-pages.ts';

/** Rejected pages named one by one in the run log; the rest are counted. */
const loggedPages = 20;

export const rawListings = tableAsset({
  name: 'raw_listings',
  ...dailySnapshot,
  tags: { layer: 'raw', source: 'mercadolibre' },
  description: 'Every listing of every search page as received: category, page offset, position, fetch time, the fields the pipeline reads (parsed once) and the full JSON; and each unusable page with its reason.',
  retry: { attempts: 2, delayMs: 5000 },
  resources: { listingSource },
  // Warnings: a stale or empty day is reported, and judged again by the checks downstream.
  checks: [rowCount({ min: 1 }, { severity: 'warn' }), freshness('fetched_at', 48, { severity: 'warn' })],
  materialize: async (_, context) => {
    const dir = await context.resources.listingSource.responsesFor(context);
    const pages = await screenSearchPages(dir);
    if (pages.files.length === 0) {
      throw new AssetFailure(`no search responses found at ${join(dir, 'search', '*', '*.json')}`, { code: 'MERCADOLIBRE_NO_RESPONSES', retryable: false });
    }
    const partitionKey = context.partitionKey ?? '';
    await context.output.createAs(rawListingsQuery(pages, partitionKey), rawListingsColumns);
    const rejected = [...pages.rejected, ...(await unreadablePages(context, pages.compact))].sort((a, b) => (a.file < b.file ? -1 : 1));
    if (rejected.length === pages.files.length) {
      throw new AssetFailure(`none of the ${pages.files.length} search pages in ${dir} can be used: ${describe(rejected.slice(0, 3))}`, {
        code: 'MERCADOLIBRE_NO_USABLE_PAGES',
        retryable: false,
      });
    }
    if (rejected.length > 0) await context.execute(sql`INSERT INTO ${context.output.table} BY NAME ${rejectedPageRowsQuery(rejected, partitionKey)}`);
    for (const page of rejected.slice(0, loggedPages)) context.log(`page ${page.file} quarantined: ${page.reason}`);
    if (rejected.length > loggedPages) context.log(`… and ${rejected.length - loggedPages} more quarantined pages (see rejected_pages)`);
    context.addMetadata({ pages: pages.files.length, rejected_pages: rejected.length });
  },
});

/**
 * The compact pages DuckDB read no listing from, that cannot be used, with the reason: a malformed
 * one came back without results; a page whose `results` is empty is fine.
 */
async function unreadablePages(context: TableAssetContext<unknown>, compact: readonly SearchPageFile[]): Promise<RejectedPage[]> {
  const read = await context.query<{ category_id: string; page_offset: number }>(
    sql`SELECT DISTINCT category_id, page_offset FROM ${context.output.table}`,
  );
  const withListings = new Set(read.map((row) => `${row.category_id}/${row.page_offset}`));
  const empty = compact.filter((page) => !withListings.has(`${page.categoryId}/${page.pageOffset}`));
  const checked = await Promise.all(empty.map(async (page) => ({ ...page, reason: problem(readSearchPage(await readFile(page.path))) })));
  return checked.flatMap((page) => (page.reason === null ? [] : [{ ...page, reason: page.reason }]));
}

function problem(read: ReturnType<typeof readSearchPage>): string | null {
  if ('problem' in read) return read.problem;
  return read.page.results.length === 0 ? null : "DuckDB's JSON reader could not read it";
}

function describe(pages: readonly RejectedPage[]): string {
  return pages.map((page) => `${page.file}: ${page.reason}`).join('; ');
}
