/**
 * Downloads one day's MercadoLibre responses into a folder in the recorded-sample layout:
 * `categories.json`, then `search/<CATEGORY_ID>/<OFFSET>.json` for each category's pages. Requests
 * share one concurrency bound; 429s (honouring Retry-After), 5xx, timeouts and network errors are
 * retried with backoff and jitter; any other 4xx, or a categories body that is not a list, fails at
 * once. A search page is kept as received even when it cannot be used (not JSON, no results array,
 * over 16 MB): `raw_listings` quarantines it by the same rule as a recorded page, and paging goes on.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { readSearchPage } from '../search-page-problem.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { MercadoLibreApiError } from './api-error.ts';
import { maxSearchOffset, searchPageSize, type MercadoLibreApiOptions } from './api-options.ts';

export interface FetchSummary {
  readonly categories: number;
  readonly pages: number;
  /** Pages kept although they cannot be used; `raw_listings` quarantines them. */
  readonly unusablePages: number;
  readonly listings: number;
  readonly requests: number;
  readonly retries: number;
  readonly durationMs: number;
}

interface Category {
  readonly id: string;
  readonly name: string;
}

/** A 2xx answer: its body exactly as received. */
interface Body {
  readonly bytes: Buffer;
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
  const counts = { requests: 0, retries: 0, pages: 0, unusablePages: 0, listings: 0 };
  const base = options.baseUrl.replace(/\/+$/, '');

  const get = (url: string, categoryId?: string): Promise<Body> =>
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
      const { bytes } = await get(url, category.id);
      await writeFileAtomically(join(outDir, 'search', category.id, `${offset}.json`), bytes);
      counts.pages += 1;
      offset += size;
      const read = readSearchPage(bytes);
      // An unusable page says nothing of where the category ends: go on to the next one.
      if (!('page' in read)) {
        counts.unusablePages += 1;
        continue;
      }
      const { page } = read;
      counts.listings += page.results.length;
      const paging = page.paging as { total?: unknown } | undefined;
      const total = typeof paging?.total === 'number' ? paging.total : Number.POSITIVE_INFINITY;
      if (page.results.length < size || offset >= total) break;
    }
  };

  try {
    await mkdir(outDir, { recursive: true });
    const categoriesUrl = `${base}/sites/${options.site}/categories`;
    const categories = categoryList(await get(categoriesUrl), categoriesUrl);
    await writeFileAtomically(join(outDir, 'categories.json'), categories.bytes);
    await Promise.all(categories.body.map((category) => fetchCategory(category)));
    return { categories: categories.body.length, ...counts, durationMs: Date.now() - started };
  } catch (error) {
    failed.abort();
    limit.clearQueue();
    throw error;
  }
}

/** One try: the body on 2xx; a retryable or final error otherwise. */
async function request(url: string, options: MercadoLibreApiOptions, signal: AbortSignal, categoryId?: string): Promise<Body> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'duckdag' };
  if (options.accessToken !== undefined) headers.authorization = `Bearer ${options.accessToken}`;
  let response: Response;
  let bytes: Buffer;
  const attempt = attemptSignal(signal, options.timeoutMs);
  try {
    response = await fetch(url, { headers, signal: attempt.signal });
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) throw new AbortError('the fetch was cancelled');
    throw new RetryableResponse(attempt.timedOut() ? `no answer within ${options.timeoutMs} ms` : `network error: ${describeCause(error)}`, undefined);
  } finally {
    attempt.dispose();
  }
  const text = bytes.toString('utf8');
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
  return { bytes };
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

function categoryList({ bytes }: Body, url: string): { bytes: Buffer; body: Category[] } {
  const json = parsed(bytes.toString('utf8'));
  const valid =
    Array.isArray(json) &&
    json.every((item) => typeof item === 'object' && item !== null && typeof item.id === 'string' && categoryIdPattern.test(item.id) && typeof item.name === 'string');
  if (!valid) throw new MercadoLibreApiError('the categories body is not an array of {id, name} with plain ids', { url });
  return { bytes, body: json as Category[] };
}


/** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
function retryAfterMs(header: string | null): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function parsedObject(text: string): Record<string, unknown> | null {
  const json = parsed(text);
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : null;
}

function apiMessage(text: string): string | undefined {
  const message = parsedObject(text)?.message;
  return typeof message === 'string' ? message : undefined;
}

function apiCode(text: string): string | undefined {
  const body = parsedObject(text);
  const code = body?.error ?? body?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

