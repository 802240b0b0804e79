/**
 * How a day's high-volume listings compare with the previous day's: per listing (entered, left,
 * moved, unchanged) and per category. `previous` is the previous day's partition, or `null` when
 * it was never materialized: then every listing is `no_previous_day`, never "new".
 */
import { sql, type Sql, type TableRef } from 'duckdag';

/** Every listing high-volume today or the day before, with how it changed. */
export function highVolumeChangesQuery(today: TableRef, previous: TableRef | null, partitionKey: string, previousKey: string): Sql {
  if (previous === null) {
    return sql`
      SELECT snapshot_date, CAST(NULL AS DATE) AS compared_with, id, title, permalink, category_id, 'no_previous_day' AS change,
             CAST(NULL AS DECIMAL(38, 2)) AS previous_revenue_ars, revenue_ars, CAST(NULL AS DECIMAL(38, 2)) AS revenue_change_ars,
             CAST(NULL AS BIGINT) AS previous_sold_quantity, sold_quantity, CAST(NULL AS INTEGER) AS previous_revenue_rank, revenue_rank
      FROM ${today.partition}`;
  }
  return sql`
    SELECT
      CAST(${partitionKey} AS DATE) AS snapshot_date,
      CAST(${previousKey} AS DATE) AS compared_with,
      coalesce(t.id, y.id) AS id,
      coalesce(t.title, y.title) AS title,
      coalesce(t.permalink, y.permalink) AS permalink,
      coalesce(t.category_id, y.category_id) AS category_id,
      CASE
        WHEN y.id IS NULL THEN 'entered'
        WHEN t.id IS NULL THEN 'left'
        WHEN t.revenue_ars <> y.revenue_ars OR t.sold_quantity <> y.sold_quantity THEN 'moved'
        ELSE 'unchanged'
      END AS change,
      y.revenue_ars AS previous_revenue_ars,
      t.revenue_ars,
      t.revenue_ars - y.revenue_ars AS revenue_change_ars,
      y.sold_quantity AS previous_sold_quantity,
      t.sold_quantity,
      y.revenue_rank AS previous_revenue_rank,
      t.revenue_rank
    FROM ${today.partition} AS t FULL OUTER JOIN ${previous.partition} AS y ON t.id = y.id
    ORDER BY change, coalesce(t.revenue_rank, y.revenue_rank)`;
}

/** Per search category: high-volume listings and their estimated revenue today and the day before. */
export function highVolumeByCategoryQuery(today: TableRef, previous: TableRef | null, partitionKey: string, previousKey: string): Sql {
  const perCategory = (rows: Sql) => sql`SELECT search_category_id AS category_id, count(*) AS listings, sum(revenue_ars) AS revenue_ars FROM ${rows} GROUP BY ALL`;
  const before = previous === null ? sql`(SELECT NULL::VARCHAR AS category_id, NULL::BIGINT AS listings, NULL::DECIMAL(38, 2) AS revenue_ars WHERE false)` : sql`(${perCategory(previous.partition)})`;
  return sql`
    SELECT
      CAST(${partitionKey} AS DATE) AS snapshot_date,
      ${previous === null ? sql`CAST(NULL AS DATE)` : sql`CAST(${previousKey} AS DATE)`} AS compared_with,
      coalesce(t.category_id, y.category_id) AS category_id,
      coalesce(t.listings, 0) AS listings,
      coalesce(t.revenue_ars, 0) AS revenue_ars,
      y.listings AS previous_listings,
      y.revenue_ars AS previous_revenue_ars,
      coalesce(t.listings, 0) - y.listings AS listings_change,
      coalesce(t.revenue_ars, 0) - y.revenue_ars AS revenue_change_ars
    FROM (${perCategory(today.partition)}) AS t FULL OUTER JOIN ${before} AS y ON t.category_id = y.category_id
    ORDER BY revenue_ars DESC, category_id`;
}

/** How many listings entered, left and moved, from a `high_volume_changes` partition, and whether it compared with a day. */
export function changeCountsQuery(changes: Sql): Sql {
  return sql`
    SELECT
      CAST(max(compared_with) AS VARCHAR) AS compared_with,
      count(*) FILTER (WHERE change = 'entered') AS entered,
      count(*) FILTER (WHERE change = 'left') AS "left",
      count(*) FILTER (WHERE change = 'moved') AS moved
    FROM ${changes}`;
}

/** The first `limit` listings of one kind of change: new and moved ones by estimated revenue, the ones that left by their previous revenue. */
export function changedListingsQuery(changes: Sql, change: 'entered' | 'left' | 'moved', limit: number): Sql {
  const order = change === 'left' ? sql`previous_revenue_ars DESC` : change === 'moved' ? sql`abs(revenue_change_ars) DESC` : sql`revenue_ars DESC`;
  return sql`
    SELECT id, title, permalink, previous_revenue_ars, revenue_ars, revenue_change_ars, previous_sold_quantity, sold_quantity
    FROM ${changes}
    WHERE change = ${change}
    ORDER BY ${order}, id
    LIMIT ${limit}`;
}

/** A `high_volume_by_category` partition, as the email's summary reads it. */
export function categorySummaryQuery(categories: Sql): Sql {
  return sql`SELECT category_id, listings, revenue_ars, previous_listings, listings_change FROM ${categories} ORDER BY revenue_ars DESC, category_id`;
}
