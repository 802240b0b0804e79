/**
 * The MercadoLibre sales alert as duckdag assets:
 * raw_listings → cleaned_listings → high_volume_sales → email_body → sales_alert_email,
 * with rejected_listings beside cleaned_listings and rejected_pages beside them, and
 * high_volume_changes and high_volume_by_category (the day against the previous day) feeding the
 * email; and the resources
 * they use.
 */
import { cleanedListings } from './cleaned-listings.ts';
import { emailBody } from './email-body.ts';
import { createMailTransport } from './email/mail-transport.ts';
import { highVolumeByCategory } from './high-volume-by-category.ts';
import { highVolumeChanges } from './high-volume-changes.ts';
import { highVolumeSales } from './high-volume-sales.ts';
import { createListingSource } from './listing-source.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { rawListings } from './raw-listings.ts';
import { rejectedListings } from './rejected-listings.ts';
import { rejectedPages } from './rejected-pages.ts';
import { salesAlertEmail } from './sales-alert-email.ts';

export { resolvePipelineSettings, type PipelineDefaults, type PipelineSettings } from './pipeline-settings.ts';

/** The pipeline's assets. */
export const mercadoLibreAssets = [
  rawListings,
  cleanedListings,
  rejectedListings,
  rejectedPages,
  highVolumeSales,
  highVolumeChanges,
  highVolumeByCategory,
  emailBody,
  salesAlertEmail,
] as const;

/** The resources the assets use, made for these settings. */
export function mercadoLibreResources(settings: PipelineSettings) {
  return {
    settings,
    listingSource: createListingSource(settings),
    mail: createMailTransport({ smtpUrl: settings.smtpUrl, outboxDir: settings.outboxDir, allowPlaintextPassword: settings.smtpAllowPlaintextPassword }),
  };
}
