/**
 * The pipeline without duckdag: the same queries (assets/listing-queries.ts), email rendering and
 * outbox delivery, run by hand on one DuckDB connection through @duckdb/node-api, with the DuckDB
 * settings of pipeline.config.ts applied as duckdag applies them. The benchmark's yardstick for framework overhead.
 *
 * Arguments: SAMPLE_DIR WAREHOUSE OUTBOX_DIR PARTITION. pipeline-throughput.ts compiles it (compiled-script.ts) and runs it.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createMailTransport } from '../assets/email/mail-transport.ts';
import { categorySummaryQuery, highVolumeByCategoryQuery, highVolumeChangesQuery } from '../assets/change-queries.ts';
import { renderSalesAlert, type CategorySummary, type HighVolumeSale } from '../assets/email/sales-alert-template.ts';
import {
  checkedListings,
  cleanedListingsQuery,
  highVolumeSalesQuery,
  listingCountsQuery,
  rawListingsColumns,
  rawListingsQuery,
  rejectedListingsQuery,
  rejectedPagesQuery,
} from '../assets/listing-queries.ts';
import { screenSearchPages } from '../assets/search-pages.ts';
import { writeFileAtomically } from '../assets/write-file-atomically.ts';
import type { TableRef } from '../core/kernel/asset-definition.ts';
import { identifier, sql } from '../core/kernel/sql.ts';
import config from '../pipeline.config.ts';
import { readRows } from '../storage/read-rows.ts';
import { attachStatement, instanceOptions, useStatement } from '../storage/warehouse-attachment.ts';

const [sampleDir = '', warehouse = '', outboxDir = '', partitionKey = ''] = process.argv.slice(2);
const threshold = 7_000_000;
const table = (name: string): TableRef => Object.assign(identifier(name), { name, partition: identifier(name) });

const settings = config.duckdb ?? {};
const instance = await DuckDBInstance.create(':memory:', instanceOptions(warehouse, settings));
const connection = await instance.connect();
await connection.run(`${attachStatement(warehouse, 'read_write', settings).text}; ${useStatement.text}`);
const steps: Record<string, number> = {};
const step = async (name: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  steps[name] = Math.round(performance.now() - started);
};

const checked = checkedListings(table('raw_listings'), null);
await step('raw_listings', async () => {
  const query = rawListingsQuery(await screenSearchPages(sampleDir), partitionKey);
  const columns = Object.entries(rawListingsColumns).map(([name, type]) => `${identifier(name).text} ${type}`);
  // As duckdag's createAs with columns does.
  await connection.run(`CREATE TABLE raw_listings (${columns.join(', ')}); INSERT INTO raw_listings BY NAME ${query.text}`);
});
await step('cleaned_listings', async () => {
  await connection.run(`CREATE TABLE cleaned_listings AS ${cleanedListingsQuery(checked).text}`);
  await readRows(connection, listingCountsQuery(checked, identifier('cleaned_listings')).text);
});
await step('rejected_listings', () => connection.run(`CREATE TABLE rejected_listings AS ${rejectedListingsQuery(checked).text}`));
await step('rejected_pages', () => connection.run(`CREATE TABLE rejected_pages AS ${rejectedPagesQuery(table('raw_listings')).text}`));
await step('high_volume_sales', () => connection.run(`CREATE TABLE high_volume_sales AS ${highVolumeSalesQuery(table('cleaned_listings'), threshold).text}`));
// A first day: no previous day to compare with.
await step('high_volume_changes', () =>
  connection.run(`CREATE TABLE high_volume_changes AS ${highVolumeChangesQuery(table('high_volume_sales'), null, partitionKey, '').text}`),
);
await step('high_volume_by_category', () =>
  connection.run(`CREATE TABLE high_volume_by_category AS ${highVolumeByCategoryQuery(table('high_volume_sales'), null, partitionKey, '').text}`),
);
let body = { subject: '', html: '', text: '' };
await step('email_body', async () => {
  const [total] = await readRows<{ count: number }>(connection, 'SELECT count(*) AS count FROM high_volume_sales');
  const listings = await readRows<HighVolumeSale>(
    connection,
    sql`SELECT id, title, permalink, thumbnail, price, currency_id, price_ars, sold_quantity, revenue_ars FROM high_volume_sales ORDER BY revenue_rank LIMIT 50`.text,
  );
  const categories = await readRows<CategorySummary>(connection, categorySummaryQuery(identifier('high_volume_by_category')).text);
  const changes = { comparedWith: null, enteredCount: 0, leftCount: 0, movedCount: 0, entered: [], left: [], moved: [], categories };
  body = renderSalesAlert({ partitionKey, threshold, totalCount: total?.count ?? 0, listings, changes });
  await writeFileAtomically(join(outboxDir, `${partitionKey}.html`), body.html);
});
await step('sales_alert_email', () =>
  createMailTransport({ outboxDir }).send({ from: 'bench@duckdag.localhost', to: ['ventas@example.com'], ...body, fileStem: partitionKey }),
);
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify(steps));
