import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { AssetExecutionContext } from '../core/kernel/asset-definition.ts';
import type { EmailBody } from '../assets/email-body.ts';
import { mercadoLibreAssets, mercadoLibreResources } from '../assets/index.ts';
import type { ListingSource } from '../assets/listing-source.ts';
import { useChromium } from './support/chromium.ts';
import { listing, writeResponses, type Listing } from './support/listing-responses.ts';
import { testSettings } from './support/pipeline-settings.ts';
import { tempDir } from './support/temp-dir.ts';
import { tempWarehouse, type TempWarehouse } from './support/temp-warehouse.ts';

const chromium = useChromium();

// ARS 7,000,000 needs price × sold ≥ 7M: 20,000 × 500 = 10M qualifies, 1,000 × 5 does not.
const big = (id: string, fields: Listing = {}) => listing(id, { title: `Listing ${id}`, price: 20_000, sold_quantity: 500, ...fields });
const days: Record<string, Listing[]> = {
  '2026-11-22': [big('MLA1'), big('MLA2'), big('MLA3'), listing('MLA9', { price: 1000 })],
  // MLA2 moves (its bucket grows), MLA3 drops below the threshold, MLA4 enters.
  '2026-11-23': [big('MLA1'), big('MLA2', { sold_quantity: 5000 }), listing('MLA3', { price: 1000 }), big('MLA4'), listing('MLA9', { price: 1000 })],
  '2026-11-24': [big('MLA1'), big('MLA2', { sold_quantity: 5000 }), listing('MLA3', { price: 1000 }), big('MLA4'), listing('MLA9', { price: 1000 })],
};

/** The pipeline with each day's responses from a folder of its own, through the listing source resource. */
function threeDays(t: TestContext) {
  const root = tempDir(t);
  const dirs = Object.fromEntries(Object.entries(days).map(([day, listings]) => [day, writeResponses(join(root, day), { MLA1000: [listings] })]));
  const listingSource: ListingSource = { responsesFor: async (context: AssetExecutionContext<unknown>) => dirs[context.partitionKey ?? '']! };
  const resources = { ...mercadoLibreResources(testSettings(root)), listingSource };
  return (warehouse: TempWarehouse, partitionKey: string) => warehouse.run(mercadoLibreAssets, { partitionKey, resources });
}

const changesOf = (warehouse: TempWarehouse, day: string) =>
  warehouse.query<{ id: string; change: string; compared_with: string | null }>(
    `SELECT id, change, CAST(compared_with AS VARCHAR) AS compared_with FROM high_volume_changes WHERE snapshot_date = '${day}' ORDER BY id`,
  );

const bodyOf = async (warehouse: TempWarehouse, day: string) =>
  JSON.parse((await warehouse.query<{ v: string }>(`SELECT CAST(value AS VARCHAR) AS v FROM duckdag.asset_values WHERE asset = 'email_body' AND partition_key = '${day}'`))[0]!.v) as EmailBody;

test('the first day makes no claim of new listings: every listing is no_previous_day', async (t) => {
  const run = threeDays(t);
  const warehouse = tempWarehouse(t);
  await run(warehouse, '2026-11-22');
  assert.deepEqual((await changesOf(warehouse, '2026-11-22')).map((row) => [row.id, row.change, row.compared_with]), [
    ['MLA1', 'no_previous_day', null],
    ['MLA2', 'no_previous_day', null],
    ['MLA3', 'no_previous_day', null],
  ]);
  const body = await bodyOf(warehouse, '2026-11-22');
  assert.equal(body.newCount, null);
  assert.doesNotMatch(body.subject, /new/);
  assert.match(body.text, /No earlier day to compare with/);
});

test('the change table holds exactly the listings that entered, left, moved and stayed', async (t) => {
  const run = threeDays(t);
  const warehouse = tempWarehouse(t);
  await run(warehouse, '2026-11-22');
  await run(warehouse, '2026-11-23');
  assert.deepEqual((await changesOf(warehouse, '2026-11-23')).map((row) => [row.id, row.change, row.compared_with]), [
    ['MLA1', 'unchanged', '2026-11-22'],
    ['MLA2', 'moved', '2026-11-22'],
    ['MLA3', 'left', '2026-11-22'],
    ['MLA4', 'entered', '2026-11-22'],
  ]);
});

test('the email leads with what changed, then new listings, movers, the categories and the top list; the subject names the new count', async (t) => {
  const run = threeDays(t);
  const warehouse = tempWarehouse(t);
  await run(warehouse, '2026-11-22');
  await run(warehouse, '2026-11-23');
  const body = await bodyOf(warehouse, '2026-11-23');
  assert.equal(body.subject, 'MercadoLibre sales alert 2026-11-23: 1 new, 3 listings ≥ ARS 7.000.000');
  const order = (text: string, marks: readonly string[]) => marks.map((mark) => text.indexOf(mark));
  const marks = ['1 new since 2026-11-22, 1 left, 1 moved', 'New since the previous day', 'Listing MLA4', 'Movers', 'Listing MLA2', 'No longer high-volume', 'Listing MLA3', 'By category', 'Top 3 by estimated revenue'];
  for (const part of [body.text, body.html]) {
    const positions = order(part, marks);
    assert.ok(positions.every((position) => position >= 0), `every section is there: ${JSON.stringify(positions)}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in that order');
  }
});

test('an unchanged day still sends the daily email, saying there is no change', async (t) => {
  const run = threeDays(t);
  const warehouse = tempWarehouse(t);
  for (const day of Object.keys(days)) await run(warehouse, day);
  const body = await bodyOf(warehouse, '2026-11-24');
  assert.match(body.html, /No change since 2026-11-23\./);
  assert.equal(body.subject, 'MercadoLibre sales alert 2026-11-24: no new listing, 3 listings ≥ ARS 7.000.000');
  const sent = await warehouse.query(`SELECT count(*) AS n FROM duckdag.asset_values WHERE asset = 'sales_alert_email' AND partition_key = '2026-11-24'`);
  assert.deepEqual(sent, [{ n: 1 }]);
});

test('days materialized out of order compare with the previous day, not the previous run', async (t) => {
  const run = threeDays(t);
  const daily = tempWarehouse(t);
  for (const day of Object.keys(days)) await run(daily, day);
  const shuffled = tempWarehouse(t);
  await run(shuffled, '2026-11-22');
  await run(shuffled, '2026-11-24');
  assert.deepEqual(
    (await changesOf(shuffled, '2026-11-24')).map((row) => row.change),
    ['no_previous_day', 'no_previous_day', 'no_previous_day'],
    'a day whose previous day was never materialized says so',
  );
  await run(shuffled, '2026-11-23');
  await shuffled.run(mercadoLibreAssets, { partitionKey: '2026-11-24', select: 'high_volume_changes', resources: mercadoLibreResources(testSettings(tempDir(t))) });
  for (const day of Object.keys(days)) assert.deepEqual(await changesOf(shuffled, day), await changesOf(daily, day), day);
});

test('the email renders in Chromium with each section a person looks for, under the size Gmail clips', async (t) => {
  const warehouse = tempWarehouse(t);
  const root = tempDir(t);
  const settings = testSettings(root, { MERCADOLIBRE_SAMPLE_DIR: join(import.meta.dirname, '..', 'data', 'sample') });
  await warehouse.run(mercadoLibreAssets, { partitionKey: '2026-11-23', resources: mercadoLibreResources(settings) });
  await warehouse.run(mercadoLibreAssets, { partitionKey: '2026-11-24', resources: mercadoLibreResources(settings) });
  const body = await bodyOf(warehouse, '2026-11-24');
  assert.ok(Buffer.byteLength(body.html) < 102 * 1024, `the sample day's HTML is ${Buffer.byteLength(body.html)} bytes`);
  const page = await (await chromium()).newPage({ viewport: { width: 760, height: 1200 } });
  t.after(() => page.close());
  await page.setContent(body.html);
  assert.equal(await page.locator('h1').textContent(), 'No change since 2026-11-23.');
  assert.deepEqual(await page.locator('h2').allTextContents(), ['By category', 'Top 50 by estimated revenue']);
  const bars = await page.locator('td[bgcolor="#2da44e"]').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().width));
  const [categories] = await warehouse.query<{ n: number }>(`SELECT count(*) AS n FROM high_volume_by_category WHERE snapshot_date = '2026-11-24'`);
  assert.equal(bars.length, categories!.n);
  assert.ok(bars[0]! > bars.at(-1)!, 'bars are proportional: the largest category first');
  const screenshot = await page.screenshot({ fullPage: true });
  assert.ok(screenshot.byteLength > 10_000);
  assert.equal(readFileSync(body.previewFile, 'utf8'), body.html);
});
