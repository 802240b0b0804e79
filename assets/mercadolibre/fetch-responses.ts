/**
 * Downloads one day's MercadoLibre responses into a folder in the recorded-sample layout:
 * `categories.json`, then `search/<CATEGORY_ID>/<OFFSET>.json` for each category's pages. Requests
 * share one concurrency bound; 429s (honouring Retry-After), 5xx, timeouts and network errors are
 * retried with backoff and jitter; any other 4xx or a malformed body fails at once.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { MercadoLibreApiError } from './api-error.ts';
import { maxSearchOffset, searchPageSize, type MercadoLibreApiOptions } from './api-options.ts';

export interface FetchSummary {
  readonly categories: number;
  readonly pages: number;
  readonly listings: number;
  readonly requests: number;
  readonly retries: number;
  readonly durationMs: number;
}

interface Category {
  readonly id: string;
  readonly name: string;
}

interface SearchPage {
  readonly paging: { readonly total?: number };
  readonly results: readonly unknown[];
}

/** An answer worth asking again; `retryAfterMs` is what the server asked us to wait. */
class RetryableResponse extends Error {
  readonly retryAfterMs: number;
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, retryAfterMs = 0) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export async function fetchResponses(
  options: MercadoLibreApiOptions,
  outDir: string,
  hooks: { signal?: AbortSignal; onRequest?: (url: string) => void } = {},
): Promise<FetchSummary> {
  const started = Date.now();
  const failed = new AbortController();
  const signal = hooks.signal === undefined ? failed.signal : AbortSignal.any([hooks.signal, failed.signal]);
  const limit = pLimit(options.concurrency);
  const counts = { requests: 0, retries: 0, pages: 0, listings: 0 };
  const base = options.baseUrl.replace(/\/+$/, '');

  const get = (url: string, categoryId?: string): Promise<unknown> =>
    limit(() =>
      pRetry(
        async () => {
          if (signal.aborted) throw new AbortError('the fetch was cancelled');
          counts.requests += 1;
          hooks.onRequest?.(url);
          return request(url, options, signal, categoryId);
        },
        {
          retries: options.retry.attempts - 1,
          minTimeout: options.retry.minDelayMs,
          maxTimeout: options.retry.maxDelayMs,
          factor: 2,
          randomize: true,
          signal,
          onFailedAttempt: async ({ error, retriesLeft }) => {
            if (retriesLeft === 0) return;
            counts.retries += 1;
            if (error instanceof RetryableResponse && error.retryAfterMs > 0) await sleep(error.retryAfterMs, undefined, { signal });
          },
        },
      ).catch((error: unknown) => {
        throw finalError(error, url, categoryId, options.retry.attempts);
      }),
    );

  const fetchCategory = async (category: Category) => {
    for (let offset = 0; offset < Math.min(options.itemsPerCategory, maxSearchOffset); ) {
      const size = Math.min(searchPageSize, options.itemsPerCategory - offset, maxSearchOffset - offset);
      const url = `${base}/sites/${options.site}/search?category=${encodeURIComponent(category.id)}&offset=${offset}&limit=${size}`;
      const page = searchPage(await get(url, category.id), url, category.id);
      await writeFileAtomically(join(outDir, 'search', category.id, `${offset}.json`), page.text);
      counts.pages += 1;
      counts.listings += page.body.results.length;
      offset += size;
      if (page.body.results.length < size || offset >= (page.body.paging.total ?? Number.POSITIVE_INFINITY)) break;
    }
  };

  try {
    await mkdir(outDir, { recursive: true });
    const categoriesUrl = `${base}/sites/${options.site}/categories`;
    const categories = categoryList(await get(categoriesUrl), categoriesUrl);
    await writeFileAtomically(join(outDir, 'categories.json'), categories.text);
    await Promise.all(categories.body.map((category) => fetchCategory(category)));
    return { categories: categories.body.length, ...counts, durationMs: Date.now() - started };
  } catch (error) {
    failed.abort();
    limit.clearQueue();
    throw error;
  }
}

/** One try: the body as text and JSON on 2xx; a retryable or final error otherwise. */
async function request(url: string, options: MercadoLibreApiOptions, signal: AbortSignal, categoryId?: string): Promise<{ text: string; json: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'duckdag' };
  if (options.accessToken !== undefined) headers.authorization = `Bearer ${options.accessToken}`;
  let response: Response;
  let text: string;
  const attempt = attemptSignal(signal, options.timeoutMs);
  try {
    response = await fetch(url, { headers, signal: attempt.signal });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new AbortError('the fetch was cancelled');
    throw new RetryableResponse(attempt.timedOut() ? `no answer within ${options.timeoutMs} ms` : `network error: ${describeCause(error)}`, undefined);
  } finally {
    attempt.dispose();
  }
  if (response.status === 429) {
    throw new RetryableResponse(apiMessage(text) ?? 'too many requests', 429, retryAfterMs(response.headers.get('retry-after')));
  }
  if (response.status >= 500) throw new RetryableResponse(apiMessage(text) ?? `server error ${response.status}`, response.status);
  if (!response.ok) {
    throw new AbortError(
      new MercadoLibreApiError(apiMessage(text) ?? `unexpected status ${response.status}`, {
        url,
        status: response.status,
        apiCode: apiCode(text),
        categoryId,
      }),
    );
  }
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    throw new AbortError(new MercadoLibreApiError(`the body is not JSON (starts with ${JSON.stringify(text.slice(0, 60))})`, { url, status: response.status, categoryId }));
  }
}

/**
 * One attempt's signal: aborted by the fetch's cancellation or after `timeoutMs`. Built from a
 * plain controller and timer held by this attempt, because on Node 20 a fetch given
 * `AbortSignal.any([…, AbortSignal.timeout(ms)])` is never aborted once a garbage collection has
 * run while it waits.
 */
function attemptSignal(cancel: AbortSignal, timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onCancel = () => controller.abort(cancel.reason);
  cancel.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      cancel.removeEventListener('abort', onCancel);
    },
  };
}

function finalError(error: unknown, url: string, categoryId: string | undefined, attempts: number): unknown {
  if (error instanceof MercadoLibreApiError) return error;
  if (error instanceof RetryableResponse) {
    return new MercadoLibreApiError(error.message, { url, status: error.status, categoryId, attempts }, { cause: error });
  }
  return error;
}

/** Category ids become folder names, so only letters, digits, - and _ are accepted. */
const categoryIdPattern = /^[A-Za-z0-9_-]+$/;

function categoryList(response: unknown, url: string): { text: string; body: Category[] } {
  const { text, json } = response as { text: string; json: unknown };
  const valid =
    Array.isArray(json) &&
    json.every((item) => typeof item === 'object' && item !== null && typeof item.id === 'string' && categoryIdPattern.test(item.id) && typeof item.name === 'string');
  if (!valid) throw new MercadoLibreApiError('the categories body is not an array of {id, name} with plain ids', { url });
  return { text, body: json as Category[] };
}

function searchPage(response: unknown, url: string, categoryId: string): { text: string; body: SearchPage } {
  const { text, json } = response as { text: string; json: unknown };
  const body = json as Partial<SearchPage> | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.results)) {
    throw new MercadoLibreApiError('the search body has no results array', { url, categoryId });
  }
  if (typeof body.paging !== 'object' || body.paging === null) {
    throw new MercadoLibreApiError('the search body has no paging object', { url, categoryId });
  }
  return { text, body: body as SearchPage };
}

/** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
function retryAfterMs(header: string | null): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

function parsed(text: string): Record<string, unknown> | null {
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function apiMessage(text: string): string | undefined {
  const message = parsed(text)?.message;
  return typeof message === 'string' ? message : undefined;
}

function apiCode(text: string): string | undefined {
  const body = parsed(text);
  const code = body?.error ?? body?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

