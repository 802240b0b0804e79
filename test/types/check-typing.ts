/**
 * Type-level specifications of asset checks, checked by `npm run typecheck` (not run): each
 * `@ts-expect-error` fails the type check if the mistake below it ever stops being a compile error.
 */
import { notNull, resource, sql, sqlAsset, sqlCheck, valueAsset } from 'duckdag';

const limit = resource<number>('the largest value allowed');

export const checkReadsItsAssetsResource = sqlAsset({
  name: 'check_reads_its_assets_resource',
  resources: { limit },
  // The resources a check reads are named in its type; the asset must declare them.
  checks: [sqlCheck<{ readonly limit: number }>({ name: 'within_limit', query: (rows, ctx) => sql`SELECT * FROM ${rows} WHERE n > ${ctx.resources.limit}` })],
  query: () => sql`SELECT 1 AS n`,
});

export const checkResourcesAreUnknownUntilNamed = sqlAsset({
  name: 'check_resources_are_unknown_until_named',
  resources: { limit },
  // @ts-expect-error without a type argument a check's resources are unknown
  checks: [sqlCheck({ name: 'within_limit', query: (rows, ctx) => sql`SELECT * FROM ${rows} WHERE n > ${ctx.resources.limit}` })],
  query: () => sql`SELECT 1 AS n`,
});

export const checkNeedsUndeclaredResource = sqlAsset({
  name: 'check_needs_undeclared_resource',
  // @ts-expect-error the check reads a resource the asset does not declare
  checks: [sqlCheck<{ readonly limit: number }>({ name: 'within_limit', query: (rows, ctx) => sql`SELECT * FROM ${rows} WHERE n > ${ctx.resources.limit}` })],
  query: () => sql`SELECT 1 AS n`,
});

export const valueAssetsHaveNoChecks = valueAsset({
  name: 'value_assets_have_no_checks',
  // @ts-expect-error checks read rows: a value asset has none
  checks: [notNull('n')],
  compute: () => 1,
});
