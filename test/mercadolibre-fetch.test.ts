import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MercadoLibreApiError } from '../assets/mercadolibre/api-error.ts';
import type { MercadoLibreApiOptions } from '../assets/mercadolibre/api-options.ts';
import { fetchResponses } from '../assets/mercadolibre/fetch-responses.ts';
import { startFakeApi, type FakeApiOptions } from './support/fake-mercadolibre-api.ts';
import { tempDir } from './support/temp-dir.ts';

const TOKEN = 'APP_USR-secret-token-123';

async function fetchFrom(t: TestContext, api: FakeApiOptions, options: Partial<MercadoLibreApiOptions> = {}) {
  const server = await startFakeApi(t, api);
  const dir = tempDir(t);
  const run = fetchResponses(
    {
      baseUrl: server.url,
      site: 'MLA',
      itemsPerCategory: 50,
      concurrency: 4,
      timeoutMs: 2000,
      retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 50 },
      ...options,
    },
    dir,
  );
  return { server, dir, run };
}

const searches = (requests: { path: string; query: URLSearchParams }[], category: string) =>
  requests.filter((request) => request.path.endsWith('/search') && request.query.get('category') === category);

test('pages until itemsPerCategory is reached, the last page asking only for the remainder', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 500 } }, { itemsPerCategory: 120 });
  const summary = await run;
  assert.deepEqual(
    searches(server.requests, 'MLA1').map((request) => [request.query.get('offset'), request.query.get('limit')]),
    [['0', '50'], ['50', '50'], ['100', '20']],
  );
  assert.equal(summary.listings, 120);
  assert.equal(summary.pages, 3);
});

test('stops at paging.total', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 500 }, totals: { MLA1: 60 } }, { itemsPerCategory: 1000 });
  await run;
  assert.deepEqual(searches(server.requests, 'MLA1').map((request) => request.query.get('offset')), ['0', '50']);
});

test('stops at a short page', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 70 }, totals: { MLA1: 5000 } }, { itemsPerCategory: 1000 });
  await run;
  assert.deepEqual(searches(server.requests, 'MLA1').map((request) => request.query.get('offset')), ['0', '50']);
});

test('never asks past offset + limit = 1000', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 5000 } }, { itemsPerCategory: 1000, concurrency: 8 });
  await run;
  const pages = searches(server.requests, 'MLA1');
  assert.equal(pages.length, 20);
  assert.ok(pages.every((request) => Number(request.query.get('offset')) + Number(request.query.get('limit')) <= 1000));
});

test('writes the sample layout with each body byte-identical to what was served', async (t) => {
  const { server, dir, run } = await fetchFrom(t, { listings: { MLA1: 60, MLA2: 10 } }, { itemsPerCategory: 100 });
  await run;
  assert.deepEqual(readdirSync(join(dir, 'search')).sort(), ['MLA1', 'MLA2']);
  assert.deepEqual(readdirSync(join(dir, 'search', 'MLA1')).sort(), ['0.json', '50.json']);
  assert.equal(readFileSync(join(dir, 'categories.json'), 'utf8'), server.served.get('/sites/MLA/categories?'));
  assert.equal(readFileSync(join(dir, 'search', 'MLA1', '50.json'), 'utf8'), server.served.get('/sites/MLA/search?category=MLA1&offset=50&limit=50'));
});

test('sends the bearer token on every request when one is set', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 10 } }, { accessToken: TOKEN });
  await run;
  assert.ok(server.requests.length > 1);
  assert.ok(server.requests.every((request) => request.authorization === `Bearer ${TOKEN}`));
});

test('sends no Authorization header without a token', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 10 } });
  await run;
  assert.ok(server.requests.every((request) => request.authorization === undefined));
});

test('a 429 with Retry-After waits at least that long, then succeeds', async (t) => {
  const answeredAt: number[] = [];
  const { run } = await fetchFrom(t, {
    listings: { MLA1: 10 },
    respond: (request) => {
      if (request.query.get('category') !== 'MLA1') return undefined;
      answeredAt.push(Date.now());
      return request.repeat === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: '{"message":"too many","error":"too_many_requests"}' } : undefined;
    },
  });
  const summary = await run;
  assert.equal(summary.retries, 1);
  assert.ok(answeredAt[1]! - answeredAt[0]! >= 1000, `waited ${answeredAt[1]! - answeredAt[0]!} ms`);
});

test('a 429 without Retry-After is retried with backoff', async (t) => {
  const { server, run } = await fetchFrom(t, {
    listings: { MLA1: 10 },
    respond: (request) => (request.path.endsWith('/search') && request.repeat < 2 ? { status: 429, body: '{"error":"local_rate_limited"}' } : undefined),
  });
  const summary = await run;
  assert.equal(summary.retries, 2);
  assert.equal(searches(server.requests, 'MLA1').length, 3);
});

test('a 503 with an HTML body is retried, then the page succeeds', async (t) => {
  const { run } = await fetchFrom(t, {
    listings: { MLA1: 10 },
    respond: (request) => (request.path.endsWith('/search') && request.repeat === 0 ? { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>503 Service Unavailable</html>' } : undefined),
  });
  const summary = await run;
  assert.equal(summary.listings, 10);
  assert.equal(summary.retries, 1);
});

test('a 403 fails at once, after one request, explaining the 2025 access change', async (t) => {
  const { server, run } = await fetchFrom(t, {
    listings: { MLA1: 10 },
    respond: (request) => (request.path.endsWith('/search') ? { status: 403, headers: { 'x-cache': 'Error from cloudfront' }, body: '{"message":"forbidden","error":"forbidden","status":403,"cause":[]}' } : undefined),
  });
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof MercadoLibreApiError);
    assert.equal(error.status, 403);
    assert.equal(error.categoryId, 'MLA1');
    assert.match(error.message, /answered 403 forbidden/);
    assert.match(error.message, /since April 2025 the public search endpoint answers 403/i);
    assert.match(error.message, /MERCADOLIBRE_ACCESS_TOKEN/);
    return true;
  });
  assert.equal(searches(server.requests, 'MLA1').length, 1);
});

test('a 401 says the token is invalid or expired, without the token', async (t) => {
  const { run } = await fetchFrom(
    t,
    { listings: { MLA1: 10 }, respond: () => ({ status: 401, body: '{"message":"invalid access token","error":"invalid_token","status":401}' }) },
    { accessToken: TOKEN },
  );
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof MercadoLibreApiError);
    assert.match(error.message, /invalid access token.*invalid or expired/);
    assert.doesNotMatch(error.message, new RegExp(TOKEN));
    return true;
  });
});

test('a search page that is not JSON is kept as received, counted as unusable, not retried, and paging goes on', async (t) => {
  const { server, dir, run } = await fetchFrom(
    t,
    {
      listings: { MLA1: 120 },
      respond: (request) => (request.path.endsWith('/search') && request.query.get('offset') === '0' ? { body: '<html>maintenance</html>' } : undefined),
    },
    { itemsPerCategory: 1000 },
  );
  const summary = await run;
  assert.equal(readFileSync(join(dir, 'search', 'MLA1', '0.json'), 'utf8'), '<html>maintenance</html>');
  assert.deepEqual(searches(server.requests, 'MLA1').map((request) => request.query.get('offset')), ['0', '50', '100']);
  assert.deepEqual({ pages: summary.pages, unusablePages: summary.unusablePages, listings: summary.listings, retries: summary.retries }, { pages: 3, unusablePages: 1, listings: 70, retries: 0 });
});

test('a search page without a results array is kept and counted as unusable, by the rule raw_listings applies', async (t) => {
  const { dir, run } = await fetchFrom(t, {
    listings: { MLA1: 10 },
    respond: (request) => (request.path.endsWith('/search') && request.query.get('offset') === '0' ? { body: '{"paging": {}}' } : undefined),
  });
  const summary = await run;
  assert.equal(readFileSync(join(dir, 'search', 'MLA1', '0.json'), 'utf8'), '{"paging": {}}');
  assert.equal(summary.unusablePages, 1);
});

test('a categories body that is not JSON fails at once, naming the URL', async (t) => {
  const { server, run } = await fetchFrom(t, { listings: { MLA1: 10 }, respond: (request) => (request.path.endsWith('/categories') ? { body: '<html>' } : undefined) });
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof MercadoLibreApiError);
    assert.equal(error.retryable, false);
    assert.ok(error.message.includes(`${server.url}/sites/MLA/categories`));
    assert.match(error.message, /categories body is not an array/);
    return true;
  });
  assert.equal(server.requests.length, 1);
});

test('a response slower than the timeout is retried, then fails saying so', async (t) => {
  const { server, run } = await fetchFrom(
    t,
    { listings: { MLA1: 10 }, respond: (request) => (request.path.endsWith('/search') ? { delayMs: 400 } : undefined) },
    { timeoutMs: 100, retry: { attempts: 2, minDelayMs: 10, maxDelayMs: 20 } },
  );
  await assert.rejects(run, /after 2 attempts.*no answer within 100 ms/);
  assert.equal(searches(server.requests, 'MLA1').length, 2);
});

test('the timeout still fires when garbage is collected while a response is awaited', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const collecting = setInterval(gc, 5);
  t.after(() => clearInterval(collecting));
  const { run } = await fetchFrom(
    t,
    { listings: { MLA1: 10 }, respond: (request) => (request.path.endsWith('/search') ? { delayMs: 400 } : undefined) },
    { timeoutMs: 100, retry: { attempts: 1, minDelayMs: 10, maxDelayMs: 20 } },
  );
  await assert.rejects(run, /no answer within 100 ms/);
});

test('no more requests are in flight than the concurrency allows', async (t) => {
  const listings = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`MLA${index + 1}`, 150]));
  const { server, run } = await fetchFrom(t, { listings, latencyMs: 20 }, { concurrency: 3, itemsPerCategory: 150 });
  await run;
  assert.equal(server.maxInFlight(), 3);
});
