/**
 * The MercadoLibre sales alert as duckdag assets:
 * raw_listings → cleaned_listings → high_volume_sales → email_body → sales_alert_email,
 * with rejected_listings beside cleaned_listings.
 */
import type { AnyAssetDefinition } from '../core/asset-definition.ts';
import { cleanedListingsAsset } from './cleaned-listings.ts';
import { emailBodyAsset } from './email-body.ts';
import { highVolumeSalesAsset } from './high-volume-sales.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { rawListingsAsset } from './raw-listings.ts';
import { rejectedListingsAsset } from './rejected-listings.ts';
import { salesAlertEmailAsset } from './sales-alert-email.ts';

export { resolvePipelineSettings, type PipelineDefaults, type PipelineSettings } from './pipeline-settings.ts';

/** The pipeline's assets, built for these settings. */
export function mercadoLibreAssets(settings: PipelineSettings): AnyAssetDefinition[] {
  const raw = rawListingsAsset(settings);
  const cleaned = cleanedListingsAsset(settings, raw);
  const highVolume = highVolumeSalesAsset(settings, cleaned);
  const body = emailBodyAsset(settings, highVolume);
  return [raw, cleaned, rejectedListingsAsset(settings, raw), highVolume, body, salesAlertEmailAsset(settings, body)];
}
