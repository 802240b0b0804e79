/**
 * What the pipeline's assets use without owning it, as duckdag resources: its settings, where a
 * day's listings come from (the recorded sample or the API), and where the alert email goes. The
 * config makes them from the environment; a test provides its own.
 */
import { resource } from 'duckdag';
import type { MailTransport } from './email/mail-transport.ts';
import type { ListingSource } from './listing-source.ts';
import type { PipelineSettings } from './pipeline-settings.ts';

export const settings = resource<PipelineSettings>('the pipeline settings, from pipeline.config.ts and the environment');
export const listingSource = resource<ListingSource>('where a day’s MercadoLibre search responses come from');
export const mail = resource<MailTransport>('where the alert email goes: SMTP or the outbox folder');
