/**
 * `email_body`: the alert's subject, HTML and text, rendered from `templates/` with the top
 * listings by revenue; also written to `<outbox>/<date>.html` for a preview in a browser.
 */
import { join } from 'node:path';
import { sql, valueAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import type { HighVolumeSale, RenderedEmail } from './email/sales-alert-template.ts';
import { highVolumeSales } from './high-volume-sales.ts';
import { settings } from './pipeline-resources.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

export interface EmailBody extends RenderedEmail {
  readonly partitionKey: string;
  /** Listings that reached the threshold; the email shows the top `shown`. */
  readonly totalCount: number;
  readonly shown: number;
  /** The HTML preview written beside the outbox. */
  readonly previewFile: string;
}

export const emailBody = valueAsset({
  name: 'email_body',
  ...dailySnapshot,
  tags: { layer: 'report' },
  description: 'Subject, HTML and text of the sales alert: the top listings by estimated revenue.',
  deps: { sales: highVolumeSales },
  resources: { settings },
  compute: async ({ sales }, context): Promise<EmailBody> => {
    const { emailTopN, thresholdArs, outboxDir } = context.resources.settings;
    const partitionKey = context.partitionKey ?? '';
    const [total] = await context.query<{ count: number }>(sql`SELECT count(*) AS count FROM ${sales.partition}`);
    const listings = await context.query<HighVolumeSale>(sql`
      SELECT id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity, revenue_ars
      FROM ${sales.partition}
      ORDER BY revenue_rank
      LIMIT ${emailTopN}`);
    // nunjucks is loaded when an email is rendered, not whenever the pipeline is defined.
    const { renderSalesAlert } = await import('./email/sales-alert-template.ts');
    const rendered = renderSalesAlert({ partitionKey, threshold: thresholdArs, totalCount: total?.count ?? 0, listings }, { limit: emailTopN });
    const previewFile = join(outboxDir, `${partitionKey}.html`);
    await writeFileAtomically(previewFile, rendered.html);
    return { ...rendered, partitionKey, totalCount: total?.count ?? 0, shown: listings.length, previewFile };
  },
});
