/**
 * The pipeline's SQL, one query per table, built from references to the tables it reads. The assets
 * run these; the benchmark's plain-DuckDB baseline runs the very same queries without duckdag.
 */
import { join } from 'node:path';
import type { TableRef } from '../core/asset-definition.ts';
import { sql, type Sql } from '../core/sql.ts';

/** The search pages under a responses folder (`search/<CATEGORY_ID>/<OFFSET>.json`). */
export function searchPagesGlob(responsesDir: string): string {
  return join(responsesDir, 'search', '*', '*.json');
}

/** Every listing of every page, as received, with where it was found and when it was fetched. */
export function rawListingsQuery(pages: string, partitionKey: string): Sql {
  return sql`
    WITH pages AS (
      SELECT filename, results
      FROM read_json(${pages}, columns = {results: 'JSON[]'}, filename = true, format = 'auto')
    ), files AS (
      SELECT filename, last_modified FROM read_blob(${pages})
    )
    SELECT
      CAST(${partitionKey} AS DATE) AS snapshot_date,
      regexp_extract(filename, '([^/]+)/(\\d+)\\.json$', 1) AS category_id,
      CAST(regexp_extract(filename, '([^/]+)/(\\d+)\\.json$', 2) AS INTEGER) AS page_offset,
      CAST(unnest(range(len(results))) AS INTEGER) AS position,
      last_modified AS fetched_at,
      CAST(unnest(results) AS JSON) AS listing
    FROM pages JOIN files USING (filename)`;
}

/**
 * What becomes of each raw listing: typed fields, a reason to reject it (no id; a missing,
 * non-numeric or negative price), and which copy of a repeated id is kept (the first by category,
 * page and position). A subquery with the cleaned columns plus `reject_reason` (NULL for usable
 * listings) and `occurrence` (1 for the kept copy of an id, 2… for duplicates).
 */
export function classifiedListings(raw: TableRef, usdArsRate: number | null): Sql {
  return sql`(
    WITH parsed AS (
      SELECT
        snapshot_date,
        category_id AS search_category_id,
        page_offset,
        position,
        fetched_at,
        listing,
        nullif(trim(listing->>'id'), '') AS id,
        listing->>'site_id' AS site_id,
        listing->>'title' AS title,
        listing->>'price' AS price_text,
        TRY_CAST(listing->>'price' AS DECIMAL(18, 2)) AS price,
        listing->>'currency_id' AS currency_id,
        TRY_CAST(listing->>'sold_quantity' AS BIGINT) AS sold_quantity,
        listing->>'thumbnail' AS thumbnail,
        listing->>'permalink' AS permalink,
        coalesce(listing->>'category_id', category_id) AS category_id,
        CAST(fetched_at AS DATE) AS created_date
      FROM ${raw.partition}
    ), checked AS (
      SELECT
        *,
        CASE
          WHEN id IS NULL THEN 'missing id'
          WHEN price_text IS NULL THEN 'missing or null price'
          WHEN price IS NULL THEN 'price is not a number'
          WHEN price < 0 THEN 'negative price'
        END AS reject_reason
      FROM parsed
    )
    SELECT
      *,
      CASE
        WHEN currency_id = 'ARS' THEN price
        WHEN currency_id = 'USD' THEN CAST(round(price * CAST(${usdArsRate} AS DOUBLE), 2) AS DECIMAL(18, 2))
      END AS price_ars,
      CASE WHEN reject_reason IS NULL
        THEN row_number() OVER (PARTITION BY id, reject_reason IS NULL ORDER BY search_category_id, page_offset, position)
      END AS occurrence
    FROM checked
  )`;
}

/** One typed row per usable listing id. */
export function cleanedListingsQuery(classified: Sql): Sql {
  return sql`
    SELECT snapshot_date, id, site_id, title, price, currency_id, sold_quantity, thumbnail, permalink,
           category_id, created_date, price_ars
    FROM ${classified}
    WHERE occurrence = 1`;
}

/** How the raw listings split: raw = cleaned + duplicates + rejected. */
export function listingCountsQuery(classified: Sql): Sql {
  return sql`
    SELECT
      count(*) AS raw,
      count(*) FILTER (WHERE occurrence = 1) AS cleaned,
      count(*) FILTER (WHERE occurrence > 1) AS duplicates,
      count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected,
      count(*) FILTER (WHERE occurrence = 1 AND currency_id = 'USD' AND price_ars IS NULL) AS usd_without_rate
    FROM ${classified}`;
}

/** The unusable listings, with the reason. */
export function rejectedListingsQuery(classified: Sql): Sql {
  return sql`
    SELECT snapshot_date, id, search_category_id AS category_id, page_offset, position, reject_reason AS reason, listing
    FROM ${classified}
    WHERE reject_reason IS NOT NULL`;
}

/** Listings whose estimated revenue reaches the threshold (the boundary counts), best first. */
export function highVolumeSalesQuery(cleaned: Sql, thresholdArs: number): Sql {
  return sql`
    SELECT
      snapshot_date, id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity,
      price_ars * sold_quantity AS revenue_ars,
      CAST(row_number() OVER (ORDER BY price_ars * sold_quantity DESC, id) AS INTEGER) AS revenue_rank
    FROM ${cleaned}
    WHERE sold_quantity IS NOT NULL
      AND price_ars IS NOT NULL
      AND price_ars * sold_quantity >= ${thresholdArs}
    ORDER BY revenue_rank`;
}
