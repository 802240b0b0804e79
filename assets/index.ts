/**
 * The MercadoLibre sales alert as duckdag assets:
 * raw_listings → cleaned_listings → high_volume_sales → email_body → sales_alert_email,
 * with rejected_listings beside cleaned_listings and rejected_pages beside them; and the resources
 * they use.
 */
import { cleanedListings } from './cleaned-listings.ts';
import { emailBody } from './email-body.ts';
import { createMailTransport } from './email/mail-transport.ts';
import { highVolumeSales } from './high-volume-sales.ts';
import { createListingSource } from './listing-source.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { rawListings } from './raw-listings.ts';
import { rejectedListings } from './rejected-listings.ts';
import { rejectedPages } from './rejected-pages.ts';
import { salesAlertEmail } from './sales-alert-email.ts';

export { resolvePipelineSettings, type PipelineDefaults, type PipelineSettings } from './pipeline-settings.ts';

/** The pipeline's assets. */
export const mercadoLibreAssets = [rawListings, cleanedListings, rejectedListings, rejectedPages, highVolumeSales, emailBody, salesAlertEmail] as const;

/** The resources the assets use, made for these settings. */
export function mercadoLibreResources(settings: PipelineSettings) {
  return {
    settings,
    listingSource: createListingSource(settings),
    mail: createMailTransport({ smtpUrl: settings.smtpUrl, outboxDir: settings.outboxDir, allowPlaintextPassword: settings.smtpAllowPlaintextPassword }),
  };
}
