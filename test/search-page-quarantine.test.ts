import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { mercadoLibreAssets, mercadoLibreResources } from '../assets/index.ts';
import { startFakeApi } from './support/fake-mercadolibre-api.ts';
import { listing, writeResponses } from './support/listing-responses.ts';
import { testSettings } from './support/pipeline-settings.ts';
import { tempDir } from './support/temp-dir.ts';
import { statuses, tempWarehouse } from './support/temp-warehouse.ts';

/** A sample with two good pages in MLA1000, and `files` (path under search/ → content) beside them. */
async function runWithPages(t: TestContext, files: Record<string, string | Buffer>) {
  const root = tempDir(t);
  const sample = writeResponses(join(root, 'sample'), { MLA1000: [[listing('MLA1'), listing('MLA2')], [listing('MLA3')]] });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(sample, 'search', file, '..'), { recursive: true });
    writeFileSync(join(sample, 'search', file), content);
  }
  const warehouse = tempWarehouse(t);
  const logs: string[] = [];
  const result = await warehouse.run(mercadoLibreAssets, {
    resources: mercadoLibreResources(testSettings(root)),
    onEvent: (event) => {
      if (event.type === 'asset_log') logs.push(event.message);
    },
  });
  return { warehouse, result, logs };
}

const asset = (result: Awaited<ReturnType<typeof runWithPages>>['result'], name: string) => result.assets.find((one) => one.asset === name);

test('an HTML page is quarantined in rejected_pages, saying so with the byte, and the rest of the day loads', async (t) => {
  const { warehouse, result } = await runWithPages(t, { 'MLA2000/0.json': '<html><body>502 Bad Gateway</body></html>' });
  assert.equal(asset(result, 'raw_listings')?.status, 'materialized');
  assert.deepEqual(await warehouse.query(`SELECT category_id, page_offset, reason FROM rejected_pages`), [
    { category_id: 'MLA2000', page_offset: 0, reason: 'not JSON: invalid symbol at byte 0 (starts with "<html><body>502 Bad Gateway</body></html>")' },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT id FROM cleaned_listings ORDER BY id`), [{ id: 'MLA1' }, { id: 'MLA2' }, { id: 'MLA3' }]);
});

test('a malformed page is quarantined with the byte where its JSON breaks', async (t) => {
  const { warehouse } = await runWithPages(t, { 'MLA2000/0.json': '{"results": [{"id": "MLA9", "title": "Ñandú"}, x]}' });
  assert.deepEqual(await warehouse.query(`SELECT reason FROM rejected_pages`), [
    { reason: 'not JSON: invalid symbol at byte 49 (near "\\": \\"MLA9\\", \\"title\\": \\"Ñandú\\"}, x]}")' },
  ]);
});

test('an empty file, a page without results and pages whose results are not an array are quarantined each with its reason', async (t) => {
  const { warehouse } = await runWithPages(t, {
    'MLA2000/0.json': '',
    'MLA2000/50.json': '{"paging": {"total": 3}}',
    'MLA2000/100.json': '{"results": {"id": "MLA9"}}',
    'MLA2000/150.json': '{"results": null}',
    'MLA2000/200.json': '[{"results": []}]',
    'MLA2000/250.json': '{"results": []} {"results": []}',
  });
  assert.deepEqual(await warehouse.query(`SELECT page_offset, reason FROM rejected_pages ORDER BY page_offset`), [
    { page_offset: 0, reason: 'empty file' },
    { page_offset: 50, reason: 'no results' },
    { page_offset: 100, reason: 'results is an object, not an array' },
    { page_offset: 150, reason: 'results is null, not an array' },
    { page_offset: 200, reason: 'not a JSON object but an array' },
    { page_offset: 250, reason: 'not JSON: end of file expected at byte 16 (starts with "{\\"results\\": []} {\\"results\\": []}")' },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM cleaned_listings`), [{ n: 3 }]);
});

test('a page over 16 MB, such as one listing with a 50 MB title, is quarantined at the first attempt and the rest of the day loads', async (t) => {
  const huge = JSON.stringify({ paging: { total: 2 }, results: [listing('MLA8', { title: 'x'.repeat(50 * 1024 * 1024) }), listing('MLA9')] });
  const { warehouse, result } = await runWithPages(t, { 'MLA2000/0.json': huge });
  assert.equal(asset(result, 'raw_listings')?.status, 'materialized');
  assert.equal(asset(result, 'raw_listings')?.attempts, 1);
  assert.deepEqual(await warehouse.query(`SELECT reason FROM rejected_pages`), [
    { reason: `${Buffer.byteLength(huge).toLocaleString('en-US')} bytes, more than a page may have (16 MB)` },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM cleaned_listings`), [{ n: 3 }]);
});

test('a file in a category folder not named <OFFSET>.json is quarantined naming it', async (t) => {
  const { warehouse } = await runWithPages(t, { 'MLA2000/notes.json': JSON.stringify({ results: [listing('MLA9')] }) });
  assert.deepEqual(await warehouse.query(`SELECT category_id, page_offset, reason FROM rejected_pages`), [
    { category_id: 'MLA2000', page_offset: null, reason: 'the file name "notes.json" is not <OFFSET>.json' },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM raw_listings WHERE listing IS NOT NULL`), [{ n: 3 }]);
});

test('a page whose results are empty, such as the last page of a category, is not quarantined', async (t) => {
  const { warehouse } = await runWithPages(t, { 'MLA1000/100.json': JSON.stringify({ paging: { total: 3 }, results: [] }) });
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM rejected_pages`), [{ n: 0 }]);
});

test('a page written over several lines loads like a compact one', async (t) => {
  const { warehouse } = await runWithPages(t, { 'MLA2000/0.json': JSON.stringify({ paging: { total: 1 }, results: [listing('MLA9')] }, null, 2) });
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM rejected_pages`), [{ n: 0 }]);
  assert.deepEqual(await warehouse.query(`SELECT id FROM cleaned_listings WHERE id = 'MLA9'`), [{ id: 'MLA9' }]);
});

test('quarantined pages are counted in raw_listings metadata, logged, and kept out of the listing counts', async (t) => {
  const { result, logs } = await runWithPages(t, { 'MLA2000/0.json': '<html></html>', 'MLA2000/50.json': '' });
  assert.equal(asset(result, 'raw_listings')?.metadata.rejected_pages, 2);
  assert.equal(asset(result, 'raw_listings')?.metadata.pages, 4);
  assert.deepEqual(logs.filter((line) => line.includes('quarantined')), [
    'page search/MLA2000/0.json quarantined: not JSON: invalid symbol at byte 0 (starts with "<html></html>")',
    'page search/MLA2000/50.json quarantined: empty file',
  ]);
  assert.deepEqual(asset(result, 'cleaned_listings')?.metadata.counts, { raw: 3, cleaned: 3, duplicates: 0, rejected: 0, usd_without_rate: 0, other_currency: 0 });
});

test('when no page of the day can be used, raw_listings fails at once naming them, and nothing downstream runs', async (t) => {
  const root = tempDir(t);
  const sample = join(root, 'sample');
  mkdirSync(join(sample, 'search', 'MLA1000'), { recursive: true });
  writeFileSync(join(sample, 'search', 'MLA1000', '0.json'), '<html>503</html>');
  const warehouse = tempWarehouse(t);
  const result = await warehouse.run(mercadoLibreAssets, { resources: mercadoLibreResources(testSettings(root)) });
  const raw = result.assets.find((one) => one.asset === 'raw_listings');
  assert.equal(raw?.status, 'failed');
  assert.equal(raw?.attempts, 1);
  assert.match(raw?.error ?? '', /none of the 1 search pages .* can be used: search\/MLA1000\/0\.json: not JSON: invalid symbol at byte 0/);
  assert.doesNotMatch(raw?.error ?? '', /auto_detect/);
  assert.equal(statuses(result).cleaned_listings, 'upstream_failed');
});

test('in API mode, an unusable search page is kept as received and quarantined by the same rule as a recorded one', async (t) => {
  const api = await startFakeApi(t, {
    listings: { MLA1000: 3, MLA2000: 2 },
    respond: (request) => (request.query.get('category') === 'MLA2000' ? { body: '<html><body>502 Bad Gateway</body></html>' } : undefined),
  });
  const root = tempDir(t);
  const warehouse = tempWarehouse(t);
  const settings = testSettings(root, { MERCADOLIBRE_SOURCE: 'api', MERCADOLIBRE_API_URL: api.url });
  const result = await warehouse.run(mercadoLibreAssets, { resources: mercadoLibreResources(settings) });
  assert.equal(asset(result, 'raw_listings')?.status, 'materialized');
  assert.deepEqual(await warehouse.query(`SELECT category_id, page_offset, reason FROM rejected_pages`), [
    { category_id: 'MLA2000', page_offset: 0, reason: 'not JSON: invalid symbol at byte 0 (starts with "<html><body>502 Bad Gateway</body></html>")' },
  ]);
  assert.deepEqual(await warehouse.query(`SELECT count(*) AS n FROM cleaned_listings`), [{ n: 3 }]);
});
