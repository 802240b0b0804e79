/**
 * `email_body`: the alert's subject, HTML and text, rendered from `templates/`: what changed since
 * the previous day (new listings, those that left, movers, a summary per category), then the top
 * listings by revenue; also written to `<outbox>/<date>.html` for a preview in a browser.
 */
import { join } from 'node:path';
import { sql, valueAsset } from 'duckdag';
import { categorySummaryQuery, changeCountsQuery, changedListingsQuery } from './change-queries.ts';
import { dailySnapshot } from './daily-snapshot.ts';
import type { CategorySummary, HighVolumeSale, ListingChange, RenderedEmail, SalesAlertChanges } from './email/sales-alert-template.ts';
import { highVolumeByCategory } from './high-volume-by-category.ts';
import { highVolumeChanges } from './high-volume-changes.ts';
import { highVolumeSales } from './high-volume-sales.ts';
import { settings } from './pipeline-resources.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

export interface EmailBody extends RenderedEmail {
  readonly partitionKey: string;
  /** Listings that reached the threshold; the email shows the top `shown`. */
  readonly totalCount: number;
  readonly shown: number;
  /** New since the previous day; null when there was no previous day to compare with. */
  readonly newCount: number | null;
  /** The HTML preview written beside the outbox. */
  readonly previewFile: string;
}

/** Listings shown per kind of change (new, movers, left), so that a day of upheaval still fits the email. */
const changesShown = 10;

export const emailBody = valueAsset({
  name: 'email_body',
  ...dailySnapshot,
  tags: { layer: 'report' },
  description: 'Subject, HTML and text of the sales alert: what changed since the previous day, then the top listings by estimated revenue.',
  deps: { sales: highVolumeSales, changes: highVolumeChanges, categories: highVolumeByCategory },
  resources: { settings },
  compute: async ({ sales, changes, categories }, context): Promise<EmailBody> => {
    const { emailTopN, thresholdArs, outboxDir } = context.resources.settings;
    const partitionKey = context.partitionKey ?? '';
    const [total] = await context.query<{ count: number }>(sql`SELECT count(*) AS count FROM ${sales.partition}`);
    const listings = await context.query<HighVolumeSale>(sql`
      SELECT id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity, revenue_ars
      FROM ${sales.partition}
      ORDER BY revenue_rank
      LIMIT ${emailTopN}`);
    const [counts] = await context.query<{ compared_with: string | null; entered: number; left: number; moved: number }>(changeCountsQuery(changes.partition));
    const changed = (change: 'entered' | 'left' | 'moved') => context.query<ListingChange>(changedListingsQuery(changes.partition, change, Math.min(changesShown, emailTopN)));
    const summary: SalesAlertChanges = {
      comparedWith: counts?.compared_with ?? null,
      enteredCount: counts?.entered ?? 0,
      leftCount: counts?.left ?? 0,
      movedCount: counts?.moved ?? 0,
      entered: await changed('entered'),
      left: await changed('left'),
      moved: await changed('moved'),
      categories: await context.query<CategorySummary>(categorySummaryQuery(categories.partition)),
    };
    // nunjucks is loaded when an email is rendered, not whenever the pipeline is defined.
    const { renderSalesAlert } = await import('./email/sales-alert-template.ts');
    const totalCount = total?.count ?? 0;
    const rendered = renderSalesAlert({ partitionKey, threshold: thresholdArs, totalCount, listings, changes: summary }, { limit: emailTopN });
    const previewFile = join(outboxDir, `${partitionKey}.html`);
    await writeFileAtomically(previewFile, rendered.html);
    const newCount = summary.comparedWith === null ? null : summary.enteredCount;
    return { ...rendered, partitionKey, totalCount, shown: listings.length, newCount, previewFile };
  },
});
