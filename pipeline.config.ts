/**
 * The MercadoLibre sales alert: defaults here, environment variables over them (see README).
 */
import { defineConfig } from 'duckdag';
import { mercadoLibreAssets, mercadoLibreResources, resolvePipelineSettings, type PipelineDefaults } from './assets/index.ts';

/** The pipeline's defaults; paths are relative to this folder. */
export const pipelineDefaults: PipelineDefaults = {
  rootDir: import.meta.dirname,
  source: 'sample',
  sampleDir: 'data/sample',
  responsesDir: 'data/responses',
  apiUrl: 'https://api.mercadolibre.com',
  site: 'MLA',
  itemsPerCategory: 50,
  apiConcurrency: 4,
  apiTimeoutMs: 15_000,
  thresholdArs: 7_000_000,
  maxRejectedShare: 0.05,
  emailTo: ['ventas@example.com'],
  emailFrom: 'duckdag <alerts@duckdag.localhost>',
  outboxDir: 'data/outbox',
  emailTopN: 50,
};

export default defineConfig({
  warehouse: 'data/warehouse.duckdb',
  // raw_listings keeps each listing's whole JSON (~1.4 KB a row): smaller row groups and a memory
  // ceiling hold a day of a million listings under 1 GB of memory, and make it faster too.
  duckdb: { memoryLimit: '512MB', rowGroupSize: 16_384 },
  assets: mercadoLibreAssets,
  // `duckdag serve` runs the alert every day at 12:00 UTC, for that day's listings.
  schedules: [{ name: 'daily_sales_alert', cron: '0 12 * * *', timezone: 'UTC', select: '*', partition: 'tick_day' }],
  // Made when a command loads the config: a bad variable stops it before any work, with exit 2.
  resources: () => mercadoLibreResources(resolvePipelineSettings(pipelineDefaults, process.env)),
});
