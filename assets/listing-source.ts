/**
 * Where a day's MercadoLibre responses are read from: the recorded sample, or the API's answers
 * fetched once per partition into `responsesDir/<date>/` (in the same layout), so a day can be
 * processed again without calling the API.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetExecutionContext } from 'duckdag';
import type { PipelineSettings } from './pipeline-settings.ts';

export interface ListingSource {
  /** The folder holding `categories.json` and `search/<CATEGORY>/<OFFSET>.json` for the context's partition. */
  responsesFor(context: AssetExecutionContext<unknown>): Promise<string>;
}

/** The source the settings choose: the sample folder, or the API with its responses kept per day. */
export function createListingSource(settings: PipelineSettings): ListingSource {
  return { responsesFor: (context) => (settings.source === 'sample' ? sampleResponses(settings, context) : apiResponses(settings, context)) };
}

async function sampleResponses(settings: PipelineSettings, context: AssetExecutionContext<unknown>): Promise<string> {
  context.addMetadata({ source: 'sample', responses_dir: settings.sampleDir });
  return settings.sampleDir;
}

async function apiResponses(settings: PipelineSettings, context: AssetExecutionContext<unknown>): Promise<string> {
  const dir = join(settings.responsesDir, context.partitionKey ?? 'unpartitioned');
  if (existsSync(dir) && !context.force) {
    context.log(`reusing the responses fetched earlier in ${dir} (--force fetches again)`);
    context.addMetadata({ source: 'api', responses_dir: dir, fetched: false });
    return dir;
  }
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  // Loaded only when the API is used, so runs on recorded responses start without the HTTP client.
  const { fetchResponses } = await import('./mercadolibre/fetch-responses.ts');
  const { defaultMercadoLibreApiOptions } = await import('./mercadolibre/api-options.ts');
  const summary = await fetchResponses(
    {
      ...defaultMercadoLibreApiOptions,
      baseUrl: settings.apiUrl,
      site: settings.site,
      accessToken: settings.accessToken,
      itemsPerCategory: settings.itemsPerCategory,
      concurrency: settings.apiConcurrency,
      timeoutMs: settings.apiTimeoutMs,
    },
    partial,
    { signal: context.signal },
  ).catch(async (error: unknown) => {
    await rm(partial, { recursive: true, force: true });
    throw error;
  });
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  context.log(`fetched ${summary.listings} listings in ${summary.pages} pages of ${summary.categories} categories (${summary.requests} requests, ${summary.retries} retries)`);
  if (summary.unusablePages > 0) context.log(`${summary.unusablePages} of the pages fetched cannot be used; they are kept as received and quarantined`);
  context.addMetadata({ source: 'api', responses_dir: dir, fetched: true, fetch: summary });
  return dir;
}
