/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from './support/chromium.ts';
import { fixtureProject } from './support/fixture-project.ts';
import { launchFromPage } from './support/launch-from-page.ts';
import { scheduledProjectConfig } from './support/scheduled-project.ts';
import { scriptTitle, servePipeline, type ServedPipeline } from './support/web-ui-project.ts';

const chromium = useChromium();
const partition = '2026-11-24';
const assets = ['raw_listings', 'cleaned_listings', 'rejected_listings', 'rejected_pages', 'high_volume_sales', 'high_volume_by_category', 'high_volume_changes', 'email_body', 'sales_alert_email'];

async function newPage(): Promise<Page> {
  const page = await (await chromium()).newPage();
  page.setDefaultTimeout(60_000);
  return page;
}

/** Opens the graph of the partition, live, recording every status each node takes. */
async function watchGraph(served: ServedPipeline): Promise<Page> {
  const page = await newPage();
  await page.goto(`${served.url}graph?partition=${partition}`);
  await page.waitForSelector('html[data-live="open"]');
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    Object.assign(window, { seenStatuses: seen });
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target as Element;
        const name = node.getAttribute('data-asset') ?? '';
        (seen[name] ??= []).push(node.getAttribute('data-status') ?? '');
      }
    }).observe(document.querySelector('svg.duckdag-graph')!, { attributes: true, attributeFilter: ['data-status'], subtree: true });
  });
  return page;
}

/** Launches the selection for the partition from the launch page, after reading its plan. */
async function launch(served: ServedPipeline, select = '*', planned = assets): Promise<Page> {
  const page = await newPage();
  assert.deepEqual(await launchFromPage(page, served.url, select, partition), planned);
  return page;
}

function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('a run launched from the page turns the graph green asset by asset; the runs and asset pages show it', async (t) => {
  const served = await servePipeline(t);
  const graph = await watchGraph(served);
  const runs = await launch(served);
  await graph.waitForFunction(
    (names) => names.every((name) => document.querySelector(`g.node[data-asset="${name}"]`)?.getAttribute('data-status') === 'materialized'),
    assets,
  );
  const seen = (await graph.evaluate(() => (window as unknown as { seenStatuses: Record<string, string[]> }).seenStatuses)) as Record<string, string[]>;
  for (const name of assets) assert.deepEqual(seen[name], ['running', 'materialized'], name);

  await runs.waitForSelector('table.launches .badge[data-status="succeeded"]');
  await runs.waitForSelector('table.runs .badge[data-status="succeeded"]');
  await runs.click('table.runs a');
  assert.deepEqual(await runs.locator('table.plan tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-asset'))), assets);
  assert.deepEqual(
    await runs.locator('table.run-assets tbody tr').evaluateAll((rows) => rows.map((row) => row.querySelector('.badge')?.textContent)),
    assets.map(() => 'materialized'),
  );

  await runs.goto(`${served.url}assets/high_volume_sales?partition=${partition}`);
  const titles = await runs.locator('table.data').first().locator('tbody tr').count();
  assert.equal(titles, 1);
  assert.match(await runs.locator('table.data').first().innerText(), /MLA900001/);
});

test('a run cancelled from the page is recorded cancelled and sends no email', async (t) => {
  // The SMTP server never greets, so the email asset waits until the run is cancelled.
  const served = await servePipeline(t, { smtp: { onConnect: () => undefined } });
  const graph = await watchGraph(served);
  const runs = await launch(served);
  await graph.waitForSelector('g.node[data-asset="sales_alert_email"][data-status="running"]');

  // While the run holds the warehouse, the pages read through it.
  const asset = await newPage();
  await asset.goto(`${served.url}assets/high_volume_sales?partition=${partition}`);
  assert.match(await asset.locator('table.data').first().innerText(), /MLA900001/);

  await runs.reload();
  await runs.click('button.cancel');
  await runs.waitForSelector('table.launches .badge[data-status="cancelled"]');
  await graph.waitForSelector('g.node[data-asset="sales_alert_email"][data-status="cancelled"]');
  await runs.click('table.runs a');
  const email = runs.locator('table.run-assets tr[data-asset="sales_alert_email"]');
  assert.equal(await email.locator('.badge').textContent(), 'cancelled');
  assert.equal(served.smtp.received.length, 0);
});

test("a schedule's run cancelled from its page is recorded cancelled and sends no email", async (t) => {
  // The SMTP server never greets, so the email asset waits until the run is cancelled; the
  // schedule's newest past tick is due as serve starts.
  const served = await servePipeline(t, { smtp: { onConnect: () => undefined }, schedules: true });
  const page = await newPage();
  await page.goto(`${served.url}runs`);
  await page.waitForSelector('table.runs button.cancel');
  await page.click('table.runs a');
  await page.waitForSelector('.timeline .bar[data-asset="sales_alert_email"][data-status="running"]');

  await page.click('button.cancel');
  await page.waitForSelector('h1 .badge[data-status="cancelled"]');
  assert.equal(await page.locator('table.run-assets tr[data-asset="sales_alert_email"] .badge').textContent(), 'cancelled');
  assert.equal(await page.locator('button.cancel').count(), 0);
  await page.goto(`${served.url}runs`);
  assert.equal(await page.locator('table.ticks .badge').first().textContent(), 'cancelled');
  assert.equal(served.smtp.received.length, 0);
});

test("a run's page shows the asset running now as running on its timeline, and follows the run as it goes", async (t) => {
  // Slow API answers keep raw_listings running a while; the SMTP server never greets, so the email asset runs until the end.
  const served = await servePipeline(t, { smtp: { onConnect: () => undefined }, apiLatencyMs: 1500 });
  const runs = await launch(served);
  await runs.waitForSelector('table.runs a');
  await runs.click('table.runs a');
  await runs.waitForSelector('.timeline .bar[data-asset="raw_listings"][data-status="running"]');
  assert.equal(await runs.locator('table.run-assets tr[data-asset="raw_listings"] .badge').textContent(), 'running');

  // The page is not reloaded from here: it follows the run's events.
  await runs.waitForSelector('.timeline .bar[data-asset="sales_alert_email"][data-status="running"]');
  const bars = await runs.locator('.timeline .bar').evaluateAll((found) => found.map((bar) => `${bar.getAttribute('data-asset')} ${bar.getAttribute('data-status')}`));
  assert.deepEqual(bars.sort(), [...assets.slice(0, -1).map((name) => `${name} materialized`), 'sales_alert_email running'].sort());
});

test('the CLI reads and writes the warehouse while the web UI is idle', async (t) => {
  const served = await servePipeline(t);
  const page = await newPage();
  await page.goto(`${served.url}runs`);
  const launched = await launch(served, 'raw_listings', ['raw_listings']);
  await launched.waitForSelector('table.runs .badge[data-status="succeeded"]');
  await page.goto(`${served.url}assets/raw_listings?partition=${partition}`);
  for (const args of [['status'], ['runs'], ['query', 'SELECT count(*) AS n FROM raw_listings']]) {
    const run = await served.run(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  }
  assert.match((await served.run(['query', 'SELECT count(*) AS n FROM raw_listings', '--json'])).stdout, /"n": 4/);
  // A writer too: the UI holds the file only while a page reads.
  const materialize = await served.run(['materialize', '--select', 'raw_listings', '--partition', '2026-11-23']);
  assert.equal(materialize.code, 0, materialize.stderr);
  await page.goto(`${served.url}runs`);
  assert.equal(await page.locator('table.runs tbody tr').count(), 2);
});

test('a request whose Host is not the bound address is refused', async (t) => {
  const served = await servePipeline(t);
  const refused = await rawRequest(`${served.url}runs`, { headers: { host: `attacker.example:${new URL(served.url).port}` } });
  assert.equal(refused.status, 421);
  assert.equal((await rawRequest(`${served.url}runs`, {})).status, 200);
});

test('a form on a page of another origin cannot launch a run', async (t) => {
  const served = await servePipeline(t);
  const attacker = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<form method="post" action="${served.url}launch"><input name="select" value="*"><input name="partition" value="${partition}"></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  t.after(() => attacker.close());
  const page = await newPage();
  const refused = page.waitForResponse(`${served.url}launch`);
  await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
  assert.equal((await refused).status(), 403);
  await page.goto(`${served.url}runs`);
  assert.equal(await page.locator('table.launches').count(), 0);
  assert.match(await page.locator('main').innerText(), /No run yet/);
});

test('a request with a foreign Origin changes nothing', async (t) => {
  const served = await servePipeline(t);
  const refused = await rawRequest(`${served.url}launch`, {
    method: 'POST',
    headers: { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ select: '*', partition }).toString(),
  });
  assert.equal(refused.status, 403);
  assert.equal((await rawRequest(`${served.url}launches/1/cancel`, { method: 'POST', headers: { origin: 'http://attacker.example' } })).status, 403);
});

test('bound beyond loopback, every request needs the token, which the address printed carries', async (t) => {
  const served = await servePipeline(t, { args: ['--host', '0.0.0.0'] });
  const printed = new URL(served.url);
  const token = printed.searchParams.get('token');
  assert.ok(token !== null && token.length >= 32);
  const base = `http://127.0.0.1:${printed.port}`;
  assert.equal((await rawRequest(`${base}/runs`, {})).status, 401);
  assert.equal((await rawRequest(`${base}/events`, {})).status, 401);
  assert.equal((await rawRequest(`${base}/runs`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await rawRequest(`${base}/runs`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  const page = await newPage();
  await page.goto(`${base}/runs?token=${token}`);
  assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
  await page.goto(`${base}/graph`);
  await page.waitForSelector('html[data-live="open"]');
});

test('a token from DUCKDAG_UI_TOKEN is required and never printed', async (t) => {
  const secret = 'web-ui-token-from-the-environment-0123456789';
  const served = await servePipeline(t, { args: ['--host', '0.0.0.0'], env: { DUCKDAG_UI_TOKEN: secret } });
  assert.doesNotMatch(served.output(), new RegExp(secret));
  const base = `http://127.0.0.1:${new URL(served.url).port}`;
  assert.equal((await rawRequest(`${base}/runs`, {})).status, 401);
  assert.equal((await rawRequest(`${base}/runs`, { headers: { authorization: `Bearer ${secret}` } })).status, 200);
});

test('a listing title with <script> shows as text on every page, including the email preview', async (t) => {
  const served = await servePipeline(t);
  const runs = await launch(served);
  await runs.waitForSelector('table.runs .badge[data-status="succeeded"]');
  const page = await newPage();
  const pages = [
    `assets/raw_listings?partition=${partition}`,
    `assets/high_volume_sales?partition=${partition}`,
    `assets/email_body?partition=${partition}`,
    `assets/sales_alert_email?partition=${partition}`,
  ];
  for (const path of pages) {
    await page.goto(`${served.url}${path}`);
    assert.equal(await page.evaluate(() => 'pwned' in window), false, path);
  }
  await page.goto(`${served.url}assets/high_volume_sales?partition=${partition}`);
  assert.ok((await page.locator('table.data').first().innerText()).includes(scriptTitle));

  await page.goto(`${served.url}assets/email_body?partition=${partition}`);
  const frame = page.frameLocator('iframe.email');
  await frame.locator('body').waitFor();
  assert.ok((await frame.locator('body').innerText()).includes(scriptTitle));
  assert.equal(await frame.locator('script').count(), 0);
  assert.equal(await page.locator('iframe.email').getAttribute('sandbox'), '');
  assert.ok((await page.locator('pre.value').innerText()).includes(scriptTitle));

  await page.goto(`${served.url}query`);
  await page.fill('textarea[name="sql"]', "SELECT title FROM cleaned_listings WHERE id = 'MLA900001'");
  await page.click('main button[type="submit"]');
  assert.equal(await page.locator('table.data tbody td').innerText(), scriptTitle);
  assert.equal(await page.evaluate(() => 'pwned' in window), false);
});

test('the query box runs one read-only statement and refuses writes and local files', async (t) => {
  const served = await servePipeline(t);
  const page = await newPage();
  await page.goto(`${served.url}query`);
  await page.fill('textarea[name="sql"]', 'SELECT 1');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  assert.match(await page.locator('.error').innerText(), /does not exist yet/);
  await (await launch(served, 'raw_listings', ['raw_listings'])).waitForSelector('table.runs .badge[data-status="succeeded"]');
  await page.goto(`${served.url}query`);
  const ask = async (sql: string) => {
    await page.fill('textarea[name="sql"]', sql);
    await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  };
  await ask('SELECT range AS n FROM range(1000)');
  assert.equal(await page.locator('table.data tbody tr').count(), 200);
  assert.match(await page.locator('.result-summary').innerText(), /the first 200 rows/);
  await ask('CREATE TABLE sneaky AS SELECT 1');
  assert.match(await page.locator('.error').innerText(), /query refused, nothing was run/);
  await ask("SELECT * FROM read_text('/etc/passwd')");
  assert.match(await page.locator('.error').innerText(), /disabled|external|Permission/i);
});

test('serve refuses a --port that another server holds, naming it', async (t) => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const port = (holder.address() as AddressInfo).port;
  const fixture = fixtureProject(t, { 'duckdag.config.ts': scheduledProjectConfig({ name: 'daily', cron: '0 12 * * *', select: '*', partition: 'tick_day' }) });
  const run = await fixture.run(['serve', '--port', String(port)], { env: { SENT_LOG: `${fixture.dir}/sent.log` } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`cannot serve the web UI on 127\\.0\\.0\\.1:${port}: port ${port} is in use; pass another --port`));
});
