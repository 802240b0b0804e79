/**
 * The pipeline's SQL, one query per table, built from references to the tables it reads. The assets
 * run these; the benchmark's plain-DuckDB baseline runs the very same queries without duckdag.
 */
import type { TableRef } from 'duckdag';
import { identifier, joinSql, sql, type Sql } from 'duckdag';

interface PageFile {
  /** The absolute path. */
  readonly path: string;
}

/** The day's page files as screened (`search-pages.ts`), and those quarantined before reading. */
export interface RawListingsInput {
  /** Every page file. */
  readonly files: readonly PageFile[];
  /** One-line pages, read as newline-delimited JSON: a malformed one comes back without results. */
  readonly compact: readonly PageFile[];
  /** Checked pages over several lines. */
  readonly multiline: readonly PageFile[];
  readonly rejected: readonly (PageFile & { readonly reason: string })[];
  /** A glob matching exactly the files, all compact, or `null`. */
  readonly glob: string | null;
}

/**
 * The fields the pipeline reads from a listing, parsed once as the pages load: each field's JSON
 * value as text (a number's digits, a string's contents, an object's JSON), NULL when absent or
 * null. The listing's own `category_id` becomes `listing_category_id`, beside the category searched.
 */
const listingFields = ['id', 'site_id', 'title', 'price', 'currency_id', 'sold_quantity', 'thumbnail', 'permalink', 'category_id'] as const;
const fieldColumn = (field: (typeof listingFields)[number]) => (field === 'category_id' ? 'listing_category_id' : field);
const listingFieldsType = JSON.stringify(Object.fromEntries(listingFields.map((field) => [field, 'VARCHAR'])));

/**
 * `raw_listings`' columns. The whole listing's JSON (every field, as received) is compressed with
 * zstd: DuckDB's default for text (FSST) spent most of a day's load analysing and compressing 1.4 GB
 * of JSON, into a table three times larger.
 */
export const rawListingsColumns: Readonly<Record<string, string>> = {
  snapshot_date: 'DATE',
  category_id: 'VARCHAR',
  page_offset: 'INTEGER',
  position: 'INTEGER',
  fetched_at: 'TIMESTAMP WITH TIME ZONE',
  ...Object.fromEntries(listingFields.map((field) => [fieldColumn(field), 'VARCHAR'])),
  listing: 'JSON USING COMPRESSION zstd',
  page_error: 'VARCHAR',
};

/**
 * Every listing of every usable page, as received, with where it was found and when it was fetched
 * (`page_error` NULL): the fields the pipeline reads, parsed here once, and the whole listing's JSON.
 * A compact page that turns out unusable comes back without rows. Inserted by name into a table of
 * `rawListingsColumns` (the one column it lacks, `page_error`, stays NULL).
 */
export function rawListingsQuery(input: RawListingsInput, partitionKey: string): Sql {
  const options = sql`columns = {results: 'JSON[]'}, filename = true, records = true`;
  const reads = [
    ...(input.compact.length > 0
      ? [sql`SELECT filename, results FROM read_json(${input.glob ?? paths(input.compact)}, ${options}, format = 'newline_delimited', ignore_errors = true)`]
      : []),
    ...(input.multiline.length > 0 ? [sql`SELECT filename, results FROM read_json(${paths(input.multiline)}, ${options}, format = 'auto')`] : []),
  ];
  if (reads.length === 0) reads.push(sql`SELECT NULL::VARCHAR AS filename, NULL::JSON[] AS results WHERE false`);
  const fields = listingFields.map((field) => sql`field.${identifier(field)} AS ${identifier(fieldColumn(field))}`);
  return sql`
    WITH pages AS (
      ${joinSql(reads, '\n      UNION ALL ')}
    ), files AS (
      SELECT filename, last_modified FROM read_blob(${input.glob ?? paths(input.files)})
    ), listings AS (
      SELECT
        ${pageColumns}
        CAST(unnest(range(len(results))) AS INTEGER) AS position,
        last_modified AS fetched_at,
        CAST(unnest(results) AS JSON) AS listing
      FROM pages JOIN files USING (filename)
    )
    SELECT
      CAST(${partitionKey} AS DATE) AS snapshot_date, category_id, page_offset, position, fetched_at,
      ${joinSql(fields, ', ')},
      listing
    FROM (SELECT *, json_transform(listing, ${listingFieldsType}) AS field FROM listings)`;
}

/** One row per unusable page, by name in `raw_listings`' columns: no listing, the reason in `page_error`. */
export function rejectedPageRowsQuery(rejected: RawListingsInput['rejected'], partitionKey: string): Sql {
  return sql`
    SELECT
      CAST(${partitionKey} AS DATE) AS snapshot_date,
      ${pageColumns}
      last_modified AS fetched_at,
      page_error
    FROM (VALUES ${joinSql(rejected.map((page) => sql`(${page.path}, ${page.reason})`))}) AS rejected(filename, page_error)
    JOIN read_blob(${paths(rejected)}) USING (filename)`;
}

/** The category folder and the offset of a page file's name. */
const pageColumns = sql`regexp_extract(filename, '([^/]+)/([^/]+)$', 1) AS category_id,
      TRY_CAST(regexp_extract(filename, '/(\\d+)\\.json$', 1) AS INTEGER) AS page_offset,`;

function paths(pages: readonly PageFile[]): string[] {
  return pages.map((page) => page.path);
}

/**
 * What becomes of each raw listing: typed fields (from the fields `raw_listings` parsed), `price_ars`, and
 * a reason to reject it (no id; a missing, non-numeric or negative price, or one with more than two
 * decimals; a sold_quantity that is not a whole number ≥ 0), NULL for usable listings. No value is
 * rounded or guessed: a listing that would need it is rejected. A subquery, read by the cleaned, rejected and counting queries.
 */
export function checkedListings(raw: TableRef, usdArsRate: number | null): Sql {
  return sql`(
    WITH parsed AS (
      SELECT
        snapshot_date,
        category_id AS search_category_id,
        page_offset,
        position,
        fetched_at,
        listing,
        nullif(trim(id), '') AS id,
        site_id,
        title,
        price AS price_text,
        TRY_CAST(price AS DECIMAL(18, 2)) AS price,
        TRY_CAST(price AS DOUBLE) AS price_number,
        currency_id,
        sold_quantity AS sold_quantity_text,
        TRY_CAST(sold_quantity AS DOUBLE) AS sold_quantity_number,
        TRY_CAST(TRY_CAST(sold_quantity AS DOUBLE) AS BIGINT) AS sold_quantity,
        thumbnail,
        permalink,
        coalesce(listing_category_id, category_id) AS category_id,
        CAST(fetched_at AS DATE) AS created_date
      FROM ${raw.partition}
      WHERE page_error IS NULL
    ), checked AS (
      SELECT
        *,
        CASE
          WHEN id IS NULL THEN 'missing id'
          WHEN price_text IS NULL THEN 'missing or null price'
          WHEN price IS NULL THEN 'price is not a number'
          WHEN price < 0 THEN 'negative price'
          WHEN price <> price_number THEN 'price has more than 2 decimals'
          WHEN sold_quantity_text IS NOT NULL AND sold_quantity_number IS NULL THEN 'sold_quantity is not a number'
          WHEN sold_quantity_number < 0 THEN 'negative sold_quantity'
          WHEN sold_quantity_number <> trunc(sold_quantity_number) OR (sold_quantity_number IS NOT NULL AND sold_quantity IS NULL)
            THEN 'sold_quantity is not a whole number'
        END AS reject_reason
      FROM parsed
    )
    SELECT
      *,
      CASE
        WHEN currency_id = 'ARS' THEN price
        WHEN currency_id = 'USD' THEN CAST(round(price * CAST(${usdArsRate} AS DOUBLE), 2) AS DECIMAL(18, 2))
      END AS price_ars
    FROM checked
  )`;
}

/**
 * One typed row per usable listing id: of repeated ids, the first copy by category, page and
 * position. Only the usable rows' typed columns go through the window, never the JSON.
 */
export function cleanedListingsQuery(checked: Sql): Sql {
  return sql`
    SELECT snapshot_date, id, site_id, title, price, currency_id, sold_quantity, thumbnail, permalink,
           category_id, created_date, price_ars, search_category_id
    FROM ${checked}
    WHERE reject_reason IS NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY search_category_id, page_offset, position) = 1`;
}

/**
 * How the raw listings split, raw = cleaned + duplicates + rejected, counted from the checked
 * listings in one pass; `usd_without_rate` and `other_currency` count the kept rows of `cleaned`
 * that have no price_ars: in USD without a rate, or in another currency (or none).
 */
export function listingCountsQuery(checked: Sql, cleaned: Sql): Sql {
  return sql`
    SELECT
      count(*) AS raw,
      count(DISTINCT id) FILTER (WHERE reject_reason IS NULL) AS cleaned,
      count(*) FILTER (WHERE reject_reason IS NULL) - count(DISTINCT id) FILTER (WHERE reject_reason IS NULL) AS duplicates,
      count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected,
      (SELECT count(*) FROM ${cleaned} WHERE currency_id = 'USD' AND price_ars IS NULL) AS usd_without_rate,
      (SELECT count(*) FROM ${cleaned} WHERE currency_id IS DISTINCT FROM 'USD' AND price_ars IS NULL) AS other_currency
    FROM ${checked}`;
}

/** The unusable listings, with the reason. */
export function rejectedListingsQuery(checked: Sql): Sql {
  return sql`
    SELECT snapshot_date, id, search_category_id AS category_id, page_offset, position, reject_reason AS reason, listing
    FROM ${checked}
    WHERE reject_reason IS NOT NULL`;
}

/** The pages that could not be used, with the reason. */
export function rejectedPagesQuery(raw: TableRef): Sql {
  return sql`
    SELECT snapshot_date, category_id, page_offset, fetched_at, page_error AS reason
    FROM ${raw.partition}
    WHERE page_error IS NOT NULL
    ORDER BY category_id, page_offset`;
}

/** Listings whose estimated revenue reaches the threshold (the boundary counts), best first. */
export function highVolumeSalesQuery(cleaned: Sql, thresholdArs: number): Sql {
  return sql`
    SELECT
      snapshot_date, id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity,
      price_ars * sold_quantity AS revenue_ars, category_id, search_category_id,
      CAST(row_number() OVER (ORDER BY price_ars * sold_quantity DESC, id) AS INTEGER) AS revenue_rank
    FROM ${cleaned}
    WHERE sold_quantity IS NOT NULL
      AND price_ars IS NOT NULL
      AND price_ars * sold_quantity >= ${thresholdArs}
    ORDER BY revenue_rank`;
}
