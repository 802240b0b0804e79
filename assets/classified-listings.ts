/**
 * The one place that decides what becomes of each raw listing: typed fields, a reason to reject it
 * (no id; a missing, non-numeric or negative price), and which copy of a repeated id is kept (the
 * first by category, page and position). `cleaned_listings` and `rejected_listings` both read it.
 */
import type { TableRef } from '../core/asset-definition.ts';
import { sql, type Sql } from '../core/sql.ts';

/**
 * A subquery over the partition's raw listings with the cleaned columns plus `reject_reason`
 * (NULL for usable listings) and `occurrence` (1 for the kept copy of an id, 2… for duplicates).
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
