/// <reference lib="dom" />
/**
 * `duckdag serve` with the web UI as two kinds of process: the front, which listens and keeps the
 * live feed without loading DuckDB, and workers, which render the pages and run the runs, started
 * by a request and gone when idle (here after 300 ms instead of a minute).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { useChromium } from './support/chromium.ts';
import { launchFromPage } from './support/launch-from-page.ts';
import { childPids, loadsDuckdb } from './support/process-tree.ts';
import { servePipeline, type ServedPipeline } from './support/web-ui-project.ts';

const chromium = useChromium();
const partition = '2026-11-24';
const quickIdle = { DUCKDAG_SERVE_WORKER_IDLE_MS: '300' };

async function newPage(): Promise<Page> {
  const page = await (await chromium()).newPage();
  page.setDefaultTimeout(60_000);
  return page;
}

/** The pids of the serve process's workers alive now. */
function workersOf(served: ServedPipeline): number[] {
  return childPids(served.pid);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(50);
}


/** Launches `select` for the partition from the launch page, and waits for its run to succeed. */
async function launchAndWait(served: ServedPipeline, select: string): Promise<Page> {
  const page = await newPage();
  await launchFromPage(page, served.url, select, partition);
  await page.waitForSelector('table.runs .badge[data-status="succeeded"]');
  return page;
}

test('the worker exits once idle, and the next page starts a new one', async (t) => {
  const served = await servePipeline(t, { env: quickIdle });
  const seen = new Set<number>();
  const watching = setInterval(() => workersOf(served).forEach((pid) => seen.add(pid)), 20);
  t.after(() => clearInterval(watching));
  const page = await newPage();
  await page.goto(`${served.url}runs`);
  assert.match(await page.locator('main').innerText(), /No run yet/);
  await until(() => seen.size > 0 && workersOf(served).length === 0);
  const gone = new Set(seen);

  await page.goto(`${served.url}launch`);
  assert.equal(await page.locator('input[name="select"]').count(), 1);
  assert.ok([...seen].some((pid) => !gone.has(pid)), 'a new worker answered the page');
  await until(() => workersOf(served).length === 0);
});

test('requests arriving while workers come and go are all answered', async (t) => {
  const served = await servePipeline(t, { env: { DUCKDAG_SERVE_WORKER_IDLE_MS: '100' } });
  const seen = new Set<number>();
  const watching = setInterval(() => workersOf(served).forEach((pid) => seen.add(pid)), 20);
  t.after(() => clearInterval(watching));
  // Pauses around the idle time, so that some requests come as a worker is letting go.
  for (const pauseMs of [0, 90, 110, 130, 150, 200, 250, 300, 400, 0, 120, 140, 160, 350]) {
    await sleep(pauseMs);
    const response = await fetch(`${served.url}launch`);
    assert.equal(response.status, 200, await response.text());
  }
  assert.ok(seen.size > 1, 'workers came and went');
});

test('live statuses reach a graph page connected before the worker that runs the run started', async (t) => {
  const served = await servePipeline(t, { env: quickIdle });
  const graph = await newPage();
  await graph.goto(`${served.url}graph?partition=${partition}`);
  await graph.waitForSelector('html[data-live="open"]');
  await until(() => workersOf(served).length === 0);

  await launchAndWait(served, 'raw_listings');
  await graph.waitForSelector('g.node[data-asset="raw_listings"][data-status="materialized"]');
});

test("a run's page renders from the warehouse once the worker that ran it has exited", async (t) => {
  const served = await servePipeline(t, { env: quickIdle });
  const runs = await launchAndWait(served, 'raw_listings');
  const runUrl = await runs.locator('table.runs a').first().getAttribute('href');
  assert.ok(runUrl !== null);
  await until(() => workersOf(served).length === 0);

  const page = await newPage();
  await page.goto(new URL(runUrl, served.url).href);
  assert.equal(await page.locator('h1 .badge').textContent(), 'succeeded');
  assert.equal(await page.locator('table.run-assets tr[data-asset="raw_listings"] .badge').textContent(), 'materialized');
});

test("launches from the page are numbered on from the previous worker's, so a Cancel button never reaches another launch", async (t) => {
  const served = await servePipeline(t, { env: quickIdle });
  const page = await newPage();
  /** Launches from the page and returns the launches the runs page then lists (made by the worker that launched, busy with it). */
  const launched = async () => {
    await launchFromPage(page, served.url, 'raw_listings', partition);
    return page.locator('tr[data-launch]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-launch')));
  };
  assert.deepEqual(await launched(), ['1']);
  await page.waitForSelector('table.runs .badge[data-status="succeeded"]');
  await until(() => workersOf(served).length === 0);

  assert.deepEqual(await launched(), ['2']);
});

test('a config broken by an edit while serve runs is reported on the page and in the log; serve goes on, and serves the fixed config', async (t) => {
  const served = await servePipeline(t, { env: quickIdle });
  const configPath = join(served.dir, 'duckdag.config.ts');
  const config = readFileSync(configPath, 'utf8');
  assert.equal((await fetch(`${served.url}launch`)).status, 200);
  await until(() => workersOf(served).length === 0);

  writeFileSync(configPath, `${config}\nexport const broken = ;\n`);
  const refused = await fetch(`${served.url}launch`);
  assert.equal(refused.status, 503);
  assert.match(await refused.text(), /the config could not be loaded/);
  assert.match(served.output(), /duckdag\.config\.ts:\d+:\d+/);
  assert.match(served.output(), /serve goes on: the next page will load it again/);

  writeFileSync(configPath, config);
  assert.equal((await fetch(`${served.url}launch`)).status, 200);
});

test('the serve process does not load DuckDB; its worker does', async (t) => {
  const served = await servePipeline(t, { env: { DUCKDAG_SERVE_WORKER_IDLE_MS: '600000' } });
  const page = await launchAndWait(served, 'raw_listings');
  await page.goto(`${served.url}assets/raw_listings?partition=${partition}`);
  assert.match(await page.locator('table.data').first().innerText(), /MLA900001/);
  const [worker] = workersOf(served);
  assert.ok(worker !== undefined);
  assert.equal(loadsDuckdb(worker), true);
  assert.equal(loadsDuckdb(served.pid), false);
});

test('killing the serve process takes its worker down', async (t) => {
  const served = await servePipeline(t, { env: { DUCKDAG_SERVE_WORKER_IDLE_MS: '600000' } });
  const page = await newPage();
  await page.goto(`${served.url}runs`);
  const [worker] = workersOf(served);
  assert.ok(worker !== undefined);
  process.kill(served.pid, 'SIGKILL');
  await until(() => !existsSync(`/proc/${worker}`));
});
