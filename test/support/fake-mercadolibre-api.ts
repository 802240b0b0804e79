/**
 * A real HTTP server on 127.0.0.1 that answers like the MercadoLibre API, programmable per test:
 * it serves categories and search pages from listings given per category, and a test can replace
 * any answer (status, headers, body, delay) through `respond`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface FakeAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number;
}

export interface FakeRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  /** 0 for the first request to this path and query, 1 for the next… */
  readonly repeat: number;
}

export interface FakeApiOptions {
  /** Listings per category id. */
  readonly listings: Record<string, number>;
  /** Overrides `paging.total` per category. */
  readonly totals?: Record<string, number>;
  /** Returns an answer to use instead of the default one, or undefined. */
  readonly respond?: (request: FakeRequest) => FakeAnswer | undefined;
  /** Delay of every answer. */
  readonly latencyMs?: number;
  /** The listing at `index` of a category; by default a plain ARS listing. */
  readonly listing?: (category: string, index: number) => Record<string, unknown>;
}

export interface FakeApi {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** Most requests in flight at once. */
  readonly maxInFlight: () => number;
  /** The bodies served, by path and query, to compare with what was written. */
  readonly served: Map<string, string>;
}

export async function startFakeApi(t: Pick<TestContext, 'after'>, options: FakeApiOptions): Promise<FakeApi> {
  const requests: FakeRequest[] = [];
  const served = new Map<string, string>();
  const seen = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = `${url.pathname}?${url.searchParams}`;
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    const request: FakeRequest = { path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, repeat };
    requests.push(request);
    const answer = options.respond?.(request) ?? defaultAnswer(options, request);
    const send = () => {
      inFlight -= 1;
      if (res.destroyed) return;
      if ((answer.status ?? 200) === 200) served.set(key, answer.body ?? '');
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    };
    const delay = (answer.delayMs ?? 0) + (options.latencyMs ?? 0);
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, maxInFlight: () => maxInFlight, served };
}

function defaultAnswer(options: FakeApiOptions, request: FakeRequest): FakeAnswer {
  if (request.path === '/sites/MLA/categories') {
    return { body: JSON.stringify(Object.keys(options.listings).map((id) => ({ id, name: `Category ${id}` }))) };
  }
  if (request.path === '/sites/MLA/search') {
    const category = request.query.get('category') ?? '';
    const offset = Number(request.query.get('offset') ?? 0);
    const limit = Number(request.query.get('limit') ?? 50);
    const count = options.listings[category] ?? 0;
    const listing = options.listing ?? plainListing;
    const results = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, index) => listing(category, offset + index));
    const total = options.totals?.[category] ?? count;
    return { body: JSON.stringify({ site_id: 'MLA', paging: { total, primary_results: total, offset, limit }, results }) };
  }
  return { status: 404, body: JSON.stringify({ message: `route ${request.path} not found`, error: 'not_found' }) };
}

function plainListing(category: string, index: number): Record<string, unknown> {
  return {
    id: `MLA${category.replace(/\D/g, '')}${String(index).padStart(5, '0')}`,
    title: `Listing ${index} of ${category}`,
    price: 1000 + index,
    currency_id: 'ARS',
    sold_quantity: 5,
  };
}
