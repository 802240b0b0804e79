import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { mercadoLibreAssets, mercadoLibreResources } from '../assets/index.ts';
import type { EmailBody } from '../assets/email-body.ts';
import { listing, writeResponses, type Listing } from './support/listing-responses.ts';
import { testSettings } from './support/pipeline-settings.ts';
import { tempDir } from './support/temp-dir.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

/** Runs the pipeline up to `select` on these responses; returns the warehouse. */
async function runPipeline(t: TestContext, pages: Record<string, Listing[][]>, env: NodeJS.ProcessEnv = {}, select = '*') {
  const root = tempDir(t);
  writeResponses(join(root, 'sample'), pages);
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run(mercadoLibreAssets, { select, resources: mercadoLibreResources(testSettings(root, env)) });
  return { warehouse, result, root };
}

/** Pages made mostly of bad listings would fail the rejected-share check; these tests read the cleaning itself. */
const notHeldBack = { MAX_REJECTED_SHARE: '1' };

test('a listing repeated across pages and categories is kept once, first by category, page and position', async (t) => {
  const { warehouse } = await runPipeline(t, {
    MLA1000: [[listing('MLA1', { title: 'first' }), listing('MLA2')], [listing('MLA1', { title: 'second page' })]],
    MLA2000: [[listing('MLA1', { title: 'other category' })]],
  });
  assert.deepEqual(await warehouse.query(`SELECT id, title FROM cleaned_listings ORDER BY id`), [
    { id: 'MLA1', title: 'first' },
    { id: 'MLA2', title: 'Listing MLA2' },
  ]);
});

test('unusable listings go to rejected_listings with the reason', async (t) => {
  const { warehouse } = await runPipeline(t, {
    MLA1000: [[
      listing(null),
      listing('MLA2', { price: null }),
      listing('MLA3', { price: undefined }),
      listing('MLA4', { price: -10 }),
      listing('MLA5', { price: 'a lot' }),
      listing('MLA6'),
    ]],
  }, notHeldBack);
  assert.deepEqual(await warehouse.query(`SELECT id, reason, category_id, page_offset, position FROM rejected_listings ORDER BY position`), [
    { id: null, reason: 'missing id', category_id: 'MLA1000', page_offset: 0, position: 0 },
    { id: 'MLA2', reason: 'missing or null price', category_id: 'MLA1000', page_offset: 0, position: 1 },
    { id: 'MLA3', reason: 'missing or null price', category_id: 'MLA1000', page_offset: 0, position: 2 },
    { id: 'MLA4', reason: 'negative price', category_id: 'MLA1000', page_offset: 0, position: 3 },
    { id: 'MLA5', reason: 'price is not a number', category_id: 'MLA1000', page_offset: 0, position: 4 },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT id FROM cleaned_listings`), [{ id: 'MLA6' }]);
});

test('a sold_quantity that is not a whole number ≥ 0, or a price with more than 2 decimals, is rejected instead of changed', async (t) => {
  const { warehouse } = await runPipeline(t, {
    MLA1000: [[
      listing('MLA1', { sold_quantity: 'abc' }),
      listing('MLA2', { sold_quantity: 1.5 }),
      listing('MLA3', { sold_quantity: -5 }),
      listing('MLA4', { price: 0.001 }),
      listing('MLA5', { sold_quantity: '25', price: '1000.50' }),
      listing('MLA6', { sold_quantity: null }),
    ]],
  }, notHeldBack);
  assert.deepEqual(await warehouse.query(`SELECT id, reason FROM rejected_listings ORDER BY position`), [
    { id: 'MLA1', reason: 'sold_quantity is not a number' },
    { id: 'MLA2', reason: 'sold_quantity is not a whole number' },
    { id: 'MLA3', reason: 'negative sold_quantity' },
    { id: 'MLA4', reason: 'price has more than 2 decimals' },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT id, price, sold_quantity FROM cleaned_listings ORDER BY id`), [
    { id: 'MLA5', price: 1000.5, sold_quantity: 25 },
    { id: 'MLA6', price: 1000, sold_quantity: null },
  ]);
});

test('listings in a currency other than ARS and USD are counted and reported as without price_ars', async (t) => {
  const { result } = await runPipeline(t, { MLA1000: [[listing('MLA1', { currency_id: 'EUR' }), listing('MLA2', { currency_id: null }), listing('MLA3')]] });
  const cleaned = result.assets.find((asset) => asset.asset === 'cleaned_listings');
  assert.deepEqual(cleaned?.metadata.counts, { raw: 3, cleaned: 3, duplicates: 0, rejected: 0, usd_without_rate: 0, other_currency: 2 });
});

test('raw listings keep every listing of every page exactly as received', async (t) => {
  const odd = listing('MLA7', { extra: { nested: [1, 2] }, title: 'Ñandú "quoted"' });
  const { warehouse } = await runPipeline(t, { MLA1000: [[listing('MLA6'), odd], [listing('MLA6')]] });
  const rows = await warehouse.query<{ listing: string; page_offset: number; position: number }>(
    `SELECT CAST(listing AS VARCHAR) AS listing, page_offset, position FROM raw_listings ORDER BY page_offset, position`,
  );
  assert.equal(rows.length, 3);
  assert.deepEqual(JSON.parse(rows[1]!.listing), odd);
  assert.deepEqual(rows.map((row) => [row.page_offset, row.position]), [[0, 0], [0, 1], [50, 0]]);
});

test('cleaned_listings metadata reconciles raw = cleaned + duplicates + rejected', async (t) => {
  const { result } = await runPipeline(t, {
    MLA1000: [[listing('MLA1'), listing('MLA1'), listing(null), listing('MLA2', { price: -1 }), listing('MLA3')]],
    MLA2000: [[listing('MLA3')]],
  });
  const cleaned = result.assets.find((asset) => asset.asset === 'cleaned_listings');
  assert.deepEqual(cleaned?.metadata.counts, { raw: 6, cleaned: 2, duplicates: 2, rejected: 2, usd_without_rate: 0, other_currency: 0 });
});

test('USD listings get price_ars from USD_ARS_RATE when it is set', async (t) => {
  const { warehouse } = await runPipeline(t, { MLA1743: [[listing('MLA1', { currency_id: 'USD', price: 15000.5 })]] }, { USD_ARS_RATE: '1000.5' });
  assert.deepEqual(await warehouse.query(`SELECT price, price_ars FROM cleaned_listings`), [{ price: 15000.5, price_ars: 15008000.25 }]);
});

test('USD listings have no price_ars without a rate and cannot qualify', async (t) => {
  const { warehouse } = await runPipeline(t, { MLA1743: [[listing('MLA1', { currency_id: 'USD', price: 90000, sold_quantity: 5000 })]] });
  assert.deepEqual(await warehouse.query(`SELECT price_ars FROM cleaned_listings`), [{ price_ars: null }]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM high_volume_sales`), [{ n: 0 }]);
});

test('the threshold boundary counts: revenue exactly at the threshold qualifies, a cent below does not', async (t) => {
  const { warehouse } = await runPipeline(t, {
    MLA1000: [[
      listing('MLA_AT', { price: 70000, sold_quantity: 100 }),
      listing('MLA_BELOW', { price: 69999.99, sold_quantity: 100 }),
      listing('MLA_ABOVE', { price: 1400000, sold_quantity: 25 }),
    ]],
  });
  assert.deepEqual(await warehouse.query(`SELECT id, revenue_ars, revenue_rank FROM high_volume_sales ORDER BY revenue_rank`), [
    { id: 'MLA_ABOVE', revenue_ars: 35000000, revenue_rank: 1 },
    { id: 'MLA_AT', revenue_ars: 7000000, revenue_rank: 2 },
  ]);
});

test('HIGH_VOLUME_THRESHOLD_ARS moves the threshold', async (t) => {
  const { warehouse } = await runPipeline(t, { MLA1000: [[listing('MLA1', { price: 1000, sold_quantity: 5 })]] }, { HIGH_VOLUME_THRESHOLD_ARS: '5000' });
  assert.deepEqual(await warehouse.query(`SELECT id FROM high_volume_sales`), [{ id: 'MLA1' }]);
});

test('a listing without sold_quantity cannot qualify', async (t) => {
  const { warehouse } = await runPipeline(t, { MLA1000: [[listing('MLA1', { price: 99_000_000, sold_quantity: undefined })]] });
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM high_volume_sales`), [{ n: 0 }]);
});

test('with no qualifying listing, the email assets are skipped naming high_volume_sales', async (t) => {
  const { result } = await runPipeline(t, { MLA1000: [[listing('MLA1')]] }, {}, '*');
  assert.deepEqual(statuses(result), {
    raw_listings: 'materialized',
    cleaned_listings: 'materialized',
    rejected_listings: 'materialized',
    rejected_pages: 'materialized',
    high_volume_sales: 'materialized',
    high_volume_changes: 'materialized',
    high_volume_by_category: 'materialized',
    email_body: 'skipped',
    sales_alert_email: 'skipped',
  });
  for (const asset of result.assets.filter((one) => one.status === 'skipped')) assert.equal(asset.reason, 'upstream high_volume_sales is empty');
});

test('a title with <script> is escaped in the HTML body of the email', async (t) => {
  const { warehouse } = await runPipeline(t, {
    MLA1000: [[listing('MLA1', { title: 'Oferta <script>alert(1)</script> & más', price: 100000, sold_quantity: 500 })]],
  });
  const [row] = await warehouse.query<{ value: string }>(`SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values WHERE asset = 'email_body'`);
  const body = JSON.parse(row!.value) as EmailBody;
  assert.doesNotMatch(body.html, /<script>/);
  assert.match(body.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; más/);
  assert.match(body.text, /Oferta <script>alert\(1\)<\/script> & más/);
  assert.equal(body.totalCount, 1);
});
