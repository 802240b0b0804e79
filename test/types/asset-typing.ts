/**
 * Type-level specifications, checked by `npm run typecheck` (not run): each `@ts-expect-error`
 * fails the type check if the mistake below it ever stops being a compile error.
 */
import { dailyPartitions, defineConfig, previousPartition, resource, sql, sqlAsset, tableAsset, valueAsset } from 'duckdag';

interface MailTransport {
  send(to: string): Promise<void>;
}
const mail = resource<MailTransport>('where mail goes');
const threshold = resource<number>('the threshold');

const numbers = tableAsset({ name: 'numbers', materialize: async (_, ctx) => ctx.output.createAs(sql`SELECT 1 AS n`) });
const report = valueAsset({ name: 'report', compute: () => ({ count: 1 }) });

export const upstreamTypo = sqlAsset({
  name: 'upstream_typo',
  deps: { numbers },
  // @ts-expect-error an input the asset does not declare: a typo of `numbers`
  query: ({ nubmers }) => sql`SELECT * FROM ${nubmers}`,
});

export const valueInputIsTyped = valueAsset({
  name: 'value_input_is_typed',
  deps: { report },
  // @ts-expect-error a value input has the upstream's type: `report` has no `total`
  compute: ({ report }) => report.total,
});

export const undeclaredResource = valueAsset({
  name: 'undeclared_resource',
  resources: { threshold },
  // @ts-expect-error a resource the asset did not declare is not in its context
  compute: (_, ctx) => ctx.resources.mail.send('a@example.com'),
});

export const alert = valueAsset({
  name: 'alert',
  deps: { report },
  resources: { mail, threshold },
  compute: async ({ report }, ctx) => {
    if (report.count >= ctx.resources.threshold) await ctx.resources.mail.send('a@example.com');
    return { sent: true };
  },
});

export const complete = defineConfig({ assets: [numbers, report, alert], resources: { mail: { send: async () => undefined }, threshold: 3 } });

export const lazyResources = defineConfig({ assets: [alert], resources: () => ({ mail: { send: async () => undefined }, threshold: 3 }) });

// @ts-expect-error the config provides no `mail`, which `alert` declares
export const missingResource = defineConfig({ assets: [numbers, alert], resources: { threshold: 3 } });

// @ts-expect-error `threshold` is a number, not a string
export const wrongResourceType = defineConfig({ assets: [alert], resources: { mail: { send: async () => undefined }, threshold: '3' } });

// @ts-expect-error assets that declare resources need the config's `resources`
export const noResources = defineConfig({ assets: [alert] });

export const noneNeeded = defineConfig({ assets: [numbers, report] });

const dailyReport = valueAsset({ name: 'daily_report', partitions: dailyPartitions('day'), compute: () => ({ count: 1 }) });

export const previousDayIsNullable = valueAsset({
  name: 'previous_day_is_nullable',
  partitions: dailyPartitions('day'),
  deps: { yesterday: previousPartition(dailyReport) },
  // @ts-expect-error the previous partition may be missing: its input can be null
  compute: ({ yesterday }) => yesterday.count,
});
