import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { useChromium } from './support/chromium.ts';
import { coreIndex, fixtureProject, waitForOutput, type FixtureProject } from './support/fixture-project.ts';

// User text that must stay text: markup, both quotes, an emoji.
const DESCRIPTION = `<script>window.injected = true</script> "double" 'single' 🦆 <b>bold</b>`;
const ERROR_MARKUP = '<img src=x onerror="window.injected = true">';

/**
 * A project whose history holds one asset in each status for 2026-11-24: materialized (numbers,
 * big, empty), skipped (after_empty), failed (broken), upstream_failed (after_broken), cancelled
 * (slow), never materialized (never).
 */
const config = `
import { dailyPartitions, defineConfig, sql, sqlAsset, tableAsset } from ${JSON.stringify(coreIndex)};

const numbers = tableAsset({
  name: 'numbers',
  group: 'ingest',
  tags: { layer: 'bronze' },
  description: ${JSON.stringify(DESCRIPTION)},
  partitions: dailyPartitions('day'),
  materialize: async (_, ctx) => ctx.output.createAs(sql\`SELECT CAST(\${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(10)\`),
});
const big = sqlAsset({ name: 'big', deps: { numbers }, partitions: dailyPartitions('day'), query: ({ numbers }) => sql\`SELECT * FROM \${numbers.partition} WHERE n > 5\` });
const empty = sqlAsset({ name: 'empty', deps: { numbers }, query: ({ numbers }) => sql\`SELECT * FROM \${numbers.partition} WHERE n > 100\` });
const after_empty = sqlAsset({ name: 'after_empty', deps: { empty }, query: ({ empty }) => sql\`SELECT * FROM \${empty}\` });
const broken = sqlAsset({ name: 'broken', group: 'other', query: () => sql\`SELECT error(\${${JSON.stringify(ERROR_MARKUP)}})\` });
const after_broken = sqlAsset({ name: 'after_broken', group: 'other', deps: { broken }, query: ({ broken }) => sql\`SELECT * FROM \${broken}\` });
const slow = tableAsset({
  name: 'slow',
  group: 'other',
  materialize: async (_, ctx) => {
    ctx.log('holding the warehouse');
    const alive = setInterval(() => undefined, 1000);
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    clearInterval(alive);
    throw ctx.signal.reason;
  },
});
const never = sqlAsset({ name: 'never', deps: { numbers }, query: ({ numbers }) => sql\`SELECT * FROM \${numbers}\` });
export default defineConfig({ assets: [numbers, big, empty, after_empty, broken, after_broken, slow, never] });
`;

const expectedStatuses: Record<string, string> = {
  numbers: 'materialized',
  big: 'materialized',
  empty: 'materialized',
  after_empty: 'skipped',
  broken: 'failed',
  after_broken: 'upstream_failed',
  slow: 'cancelled',
  never: 'never',
};

const project: FixtureProject = fixtureProject({ after }, { 'duckdag.config.ts': config });
const pageFile = join(project.dir, 'graph.html');

before(async () => {
  const run = await project.run(['materialize', '--partition', '2026-11-24', '--exclude', 'slow,never']);
  assert.equal(run.code, 1, run.stderr);
  const held = project.spawn(['materialize', '--partition', '2026-11-24', '--select', 'slow']);
  await waitForOutput(held, 'holding the warehouse');
  held.kill('SIGINT');
  assert.equal(await new Promise((resolve) => held.on('close', resolve)), 130);
  const graph = await project.run(['graph', '--format', 'html', '--out', pageFile]);
  assert.equal(graph.code, 0, graph.stderr);
});

const browser = useChromium();

/** The page opened from its file, ready, with the network blocked; every request it makes is recorded. */
async function openPage(): Promise<{ page: Page; requests: string[] }> {
  const context = await (await browser()).newContext({ viewport: { width: 1200, height: 800 } });
  await context.route((url) => url.protocol !== 'file:', (route) => route.abort());
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(pageFile).href);
  await page.locator('html[data-ready="true"]').waitFor();
  return { page, requests };
}

/** The computed fill of an element, read in the page. */
const fillOf = (element: unknown) => (globalThis as unknown as { getComputedStyle(element: unknown): { fill: string } }).getComputedStyle(element).fill;

const node = (page: Page, name: string) => page.locator(`g.node[data-asset="${name}"]`);

test('graph page opened from file:// with the network blocked makes no request outside its file', async () => {
  const { page, requests } = await openPage();
  assert.equal(await page.locator('g.node').count(), 8);
  assert.deepEqual(requests, [pathToFileURL(pageFile).href]);
});

test('graph page draws one node per asset and one edge per dependency', async () => {
  const { page } = await openPage();
  const names = await page.locator('g.node').evaluateAll((nodes) => nodes.map((one) => one.getAttribute('data-asset')));
  assert.deepEqual([...names].sort(), Object.keys(expectedStatuses).sort());
  const edges = await page.locator('path.edge').evaluateAll((paths) => paths.map((path) => `${path.getAttribute('data-from')} -> ${path.getAttribute('data-to')}`));
  assert.deepEqual(edges.sort(), ['broken -> after_broken', 'empty -> after_empty', 'numbers -> big', 'numbers -> empty', 'numbers -> never']);
});

test('graph page colours each asset by its latest status, in the colour the legend gives that status', async () => {
  const { page } = await openPage();
  const fills = new Set<string>();
  for (const [name, status] of Object.entries(expectedStatuses)) {
    assert.equal(await node(page, name).getAttribute('data-status'), status, name);
    const fill = await node(page, name).locator('.shape').evaluate(fillOf);
    const legend = await page.locator(`.legend-item[data-status="${status}"] .swatch`).evaluate(fillOf);
    assert.equal(fill, legend, name);
    fills.add(fill);
  }
  assert.equal(fills.size, 6);
  assert.equal(await page.locator('.legend-item[data-status="materialized"] .count').textContent(), '3');
});

test('graph page shows why an asset was skipped on its node', async () => {
  const { page } = await openPage();
  assert.match((await node(page, 'after_empty').locator('.status-line').textContent()) ?? '', /^skipped: upstream empty/);
});

test('clicking an asset opens its panel with the row count in the history', async () => {
  const { page } = await openPage();
  const history = await project.run(['query', "SELECT row_count FROM duckdag.materializations WHERE asset = 'big'", '--json']);
  const rows = JSON.parse(history.stdout) as { row_count: number }[];
  await node(page, 'big').click();
  assert.equal(await page.locator('#panel h2').textContent(), 'big');
  assert.equal(await page.locator('#panel .rows').textContent(), String(rows[0]?.row_count));
  assert.equal(rows[0]?.row_count, 4);
});

test('the panel of a SQL asset shows the SQL it ran', async () => {
  const { page } = await openPage();
  await node(page, 'big').click();
  assert.match((await page.locator('#panel pre.sql').textContent()) ?? '', /WHERE n > 5/);
});

test('the panel of a partitioned asset shows 30 days of partition statuses ending at the partition shown', async () => {
  const { page } = await openPage();
  await node(page, 'numbers').click();
  const days = await page.locator('#panel svg.strip rect').evaluateAll((squares) => squares.map((square) => square.getAttribute('data-status')));
  assert.equal(days.length, 30);
  assert.equal(days.at(-1), 'materialized');
  assert.deepEqual(new Set(days.slice(0, -1)), new Set(['never']));
});

test('searching for an asset centres it and opens its panel', async () => {
  const { page } = await openPage();
  await page.locator('#search').fill('after_bro');
  await page.locator('#search').press('Enter');
  const canvas = await page.locator('#canvas').boundingBox();
  const found = await node(page, 'after_broken').locator('.shape').boundingBox();
  assert.ok(canvas !== null && found !== null);
  const legendTop = 34;
  assert.ok(Math.abs(found.x + found.width / 2 - (canvas.x + canvas.width / 2)) < 2, 'centred across');
  assert.ok(Math.abs(found.y + found.height / 2 - (canvas.y + (canvas.height + legendTop) / 2)) < 2, 'centred down');
  assert.equal(await page.locator('#panel h2').textContent(), 'after_broken');
});

const dimmed = (page: Page) => page.locator('g.node.dimmed').evaluateAll((nodes) => nodes.map((one) => one.getAttribute('data-asset')).sort());

test('focusing on +asset+ dims every asset outside its upstream and downstream', async () => {
  const { page } = await openPage();
  await page.locator('#search').fill('+empty+');
  await page.locator('#search').press('Enter');
  assert.deepEqual(await dimmed(page), ['after_broken', 'big', 'broken', 'never', 'slow']);
  const lit = await page.locator('path.edge:not(.dimmed)').evaluateAll((paths) => paths.map((path) => `${path.getAttribute('data-from')} -> ${path.getAttribute('data-to')}`));
  assert.deepEqual(lit.sort(), ['empty -> after_empty', 'numbers -> empty']);
});

test('focus from the panel keeps upstream to the chosen depth', async () => {
  const { page } = await openPage();
  await node(page, 'after_empty').click();
  await page.locator('#panel select[aria-label="upstream"]').selectOption('1');
  await page.locator('#panel .focus-button').click();
  assert.deepEqual(await dimmed(page), ['after_broken', 'big', 'broken', 'never', 'numbers', 'slow']);
  await page.locator('#clear-focus').click();
  assert.deepEqual(await dimmed(page), []);
});

test('descriptions and errors with markup, quotes and emoji are shown as text', async () => {
  const { page } = await openPage();
  await node(page, 'numbers').click();
  assert.equal(await page.locator('#panel .description').textContent(), DESCRIPTION);
  assert.equal(await node(page, 'numbers').locator(':scope > title').textContent(), `numbers: ${DESCRIPTION}`);
  await node(page, 'broken').click();
  assert.match((await page.locator('#panel pre.detail').textContent()) ?? '', new RegExp(ERROR_MARKUP.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.locator('#panel img, #panel script, #panel b').count(), 0);
  assert.equal(await page.evaluate(() => (globalThis as { injected?: boolean }).injected), undefined);
});

test('graph page recolours assets handed new statuses in a duckdag:statuses event', async () => {
  const { page } = await openPage();
  await page.evaluate(() => {
    const status = { status: 'failed', rowCount: null, finishedAt: '2026-11-25T10:00:00Z', detail: 'boom', summary: 'table', statusLine: 'failed 2026-11-25 10:00' };
    (globalThis as unknown as EventTarget).dispatchEvent(new CustomEvent('duckdag:statuses', { detail: { big: status } }));
  });
  assert.equal(await node(page, 'big').getAttribute('data-status'), 'failed');
  assert.equal(await node(page, 'big').locator('.status-line').textContent(), 'failed 2026-11-25 10:00');
  assert.equal(await page.locator('.legend-item[data-status="failed"] .count').textContent(), '2');
  assert.equal(await page.locator('.legend-item[data-status="materialized"] .count').textContent(), '2');
});

test('graph --format svg --select draws only the selected assets, standing alone', async () => {
  const svgFile = join(project.dir, 'graph.svg');
  const result = await project.run(['graph', '--format', 'svg', '--select', '+big', '--partition', '2026-11-24', '--out', svgFile]);
  assert.equal(result.code, 0, result.stderr);
  const page = await (await browser()).newPage();
  await page.setContent(readFileSync(svgFile, 'utf8'));
  const names = await page.locator('g.node').evaluateAll((nodes) => nodes.map((one) => one.getAttribute('data-asset')));
  assert.deepEqual(names, ['numbers', 'big']);
  assert.equal(await page.locator('path.edge').count(), 1);
  assert.equal(await node(page, 'big').locator('.summary').textContent(), 'table · 4 rows');
});

test('graph --partition without history shows its partitioned assets never materialized', async () => {
  const result = await project.run(['graph', '--format', 'svg', '--partition', '2026-01-01']);
  const page = await (await browser()).newPage();
  await page.setContent(result.stdout);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await node(page, 'numbers').getAttribute('data-status'), 'never');
  assert.equal(await node(page, 'big').getAttribute('data-status'), 'never');
  // An unpartitioned asset keeps its latest status whatever the partition.
  assert.equal(await node(page, 'broken').getAttribute('data-status'), 'failed');
});

test('graph piped with no format prints DOT, as before', async () => {
  const result = await project.run(['graph']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^digraph assets \{/);
});

test('graph --partition that is not a date exits 2 naming it', async () => {
  const result = await project.run(['graph', '--format', 'html', '--partition', '2026-13-01']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--partition must be a date written YYYY-MM-DD, got "2026-13-01"/);
});
