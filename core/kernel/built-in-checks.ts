/**
 * The checks users know from dbt and Soda: not-null, unique, accepted values, row count bounds,
 * relationships to another asset, freshness of a timestamp column, and `sqlCheck` for a rule of
 * one's own. Each builds the query returning the rows that break it, over the rows checked (a
 * partitioned asset's partition), so `unique` is unique per partition.
 */
import type { AssetCheckSpec, CheckContext, CheckOptions } from './asset-check.ts';
import type { TableAssetDefinition, TableRef } from './asset-definition.ts';
import { DefinitionError } from './errors.ts';
import { identifier, joinSql, sql, type Sql } from './sql.ts';

/** Rows whose `column` is NULL; with `maxFailingShare: 0.02`, at most 2% may be. */
export function notNull(column: string, options: CheckOptions = {}): AssetCheckSpec {
  return {
    name: `not_null_${column}`,
    description: `${column} is not null`,
    ...options,
    columns: [column],
    failingRows: (rows) => sql`SELECT * FROM ${rows} WHERE ${identifier(column)} IS NULL`,
  };
}

/**
 * Values of `columns` held by more than one row, one failing row per repeated value with its
 * `occurrences`. Rows with a NULL among the columns are not compared (check those with `notNull`).
 */
export function unique(columns: string | readonly string[], options: CheckOptions = {}): AssetCheckSpec {
  const list = typeof columns === 'string' ? [columns] : [...columns];
  if (list.length === 0) throw new DefinitionError('DUCKDAG_CHECK_INVALID', 'unique() needs at least one column');
  const names = joinSql(list.map((column) => identifier(column)));
  return {
    name: `unique_${list.join('_')}`,
    description: `${list.join(', ')} unique`,
    ...options,
    columns: list,
    failingRows: (rows) => sql`SELECT ${names}, count(*) AS occurrences FROM ${rows}
      WHERE ${joinSql(list.map((column) => sql`${identifier(column)} IS NOT NULL`), ' AND ')}
      GROUP BY ALL HAVING count(*) > 1 ORDER BY occurrences DESC, ${names}`,
  };
}

/** Rows whose `column` holds a value not in `values`; NULL is not a value here (see `notNull`). */
export function acceptedValues(column: string, values: readonly (string | number | boolean)[], options: CheckOptions = {}): AssetCheckSpec {
  if (values.length === 0) throw new DefinitionError('DUCKDAG_CHECK_INVALID', `acceptedValues("${column}") needs at least one value`);
  return {
    name: `accepted_values_${column}`,
    description: `${column} in (${values.join(', ')})`,
    ...options,
    columns: [column],
    failingRows: (rows) => sql`SELECT * FROM ${rows} WHERE ${identifier(column)} NOT IN (${joinSql(values)})`,
  };
}

/** One failing row, with `row_count`, when the rows checked are fewer than `min` or more than `max`. */
export function rowCount(bounds: { readonly min?: number; readonly max?: number }, options: CheckOptions = {}): AssetCheckSpec {
  const { min, max } = bounds;
  for (const [label, bound] of [['min', min], ['max', max]] as const) {
    if (bound !== undefined && !(Number.isInteger(bound) && bound >= 0)) {
      throw new DefinitionError('DUCKDAG_CHECK_INVALID', `rowCount(): ${label} must be a whole number ≥ 0, got ${String(bound)}`);
    }
  }
  if (min === undefined && max === undefined) throw new DefinitionError('DUCKDAG_CHECK_INVALID', 'rowCount() needs min, max or both');
  if (min !== undefined && max !== undefined && min > max) {
    throw new DefinitionError('DUCKDAG_CHECK_INVALID', `rowCount(): min (${min}) is greater than max (${max})`);
  }
  const outside: Sql[] = [];
  if (min !== undefined) outside.push(sql`count(*) < ${min}`);
  if (max !== undefined) outside.push(sql`count(*) > ${max}`);
  return {
    name: 'row_count',
    description: `row count ${min === undefined ? '' : `≥ ${min}`}${min !== undefined && max !== undefined ? ' and ' : ''}${max === undefined ? '' : `≤ ${max}`}`,
    ...options,
    failingRows: (rows) => sql`SELECT count(*) AS row_count FROM ${rows} HAVING ${joinSql(outside, ' OR ')}`,
  };
}

/**
 * Rows whose `column` has no match in `field` (default: the same name) of table asset `to`, read at
 * the run's partition when `to` is partitioned. NULLs are not checked. `to` must be upstream of the
 * asset, so that it is settled when the check runs; otherwise the check fails the asset, saying so.
 */
export function relationships(
  column: string,
  to: TableAssetDefinition<any>,
  field: string = column,
  options: CheckOptions = {},
): AssetCheckSpec {
  return {
    name: `relationships_${column}_${to.name}`,
    description: `${column} → ${to.name}.${field}`,
    ...options,
    columns: [column],
    failingRows: (rows, context) => sql`SELECT child.* FROM ${rows} AS child
      WHERE child.${identifier(column)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${context.ref(to).partition} AS parent WHERE parent.${identifier(field)} = child.${identifier(column)})`,
  };
}

/**
 * One failing row, with the `newest` value and the `reference_time`, when the newest `column` is
 * NULL or older than `maxAgeHours` before the reference time: now, or for a partitioned asset the
 * end of the partition's day if that is earlier, so that a backfilled day is judged by its own date.
 */
export function freshness(column: string, maxAgeHours: number, options: CheckOptions = {}): AssetCheckSpec {
  if (!(typeof maxAgeHours === 'number' && maxAgeHours > 0 && Number.isFinite(maxAgeHours))) {
    throw new DefinitionError('DUCKDAG_CHECK_INVALID', `freshness("${column}"): maxAgeHours must be a positive number, got ${String(maxAgeHours)}`);
  }
  return {
    name: `freshness_${column}`,
    description: `newest ${column} at most ${maxAgeHours} h old`,
    ...options,
    columns: [column],
    failingRows: (rows, context) => {
      const reference =
        context.partitionKey === null ? sql`CAST(now() AS TIMESTAMPTZ)` : sql`least(CAST(now() AS TIMESTAMPTZ), CAST(CAST(${context.partitionKey} AS DATE) + INTERVAL 1 DAY AS TIMESTAMPTZ))`;
      return sql`SELECT max(${identifier(column)}) AS newest, ${reference} AS reference_time FROM ${rows}
        HAVING max(${identifier(column)}) IS NULL
            OR CAST(max(${identifier(column)}) AS TIMESTAMPTZ) < ${reference} - to_microseconds(CAST(${Math.round(maxAgeHours * 3_600_000_000)} AS BIGINT))`;
    },
  };
}

/** A check of one's own: a query returning the rows that break the rule. */
export interface SqlCheckSpec<R> extends CheckOptions {
  readonly name: string;
  /** Columns of the asset the query reads, checked against the table before it runs. */
  readonly columns?: readonly string[];
  /**
   * The failing rows, from `rows` (the rows checked) and anything else through `context.ref()`.
   * @example ({ rows }) => sql`SELECT * FROM ${rows} WHERE price < 0`
   */
  readonly query: (rows: TableRef, context: CheckContext<R>) => Sql;
}

/**
 * Defines a custom check, Soda-style: e.g. `sqlCheck({ name: 'positive_price', query: (rows) =>
 * sql\`SELECT * FROM ${rows} WHERE price <= 0\` })`.
 */
export function sqlCheck<R = unknown>(spec: SqlCheckSpec<R>): AssetCheckSpec<R> {
  const { query, ...rest } = spec;
  return { ...rest, failingRows: query };
}
