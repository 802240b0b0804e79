/**
 * The floor for the pipeline: what a user would write by hand for the day's job, in plain DuckDB SQL
 * on @duckdb/node-api with DuckDB's defaults. A typed `read_json` of the search pages → raw listings
 * → `DISTINCT ON (id)` cleaned listings → high-volume sales. No framework, no history, no listing's
 * JSON kept, no rejects or duplicates accounted for.
 *
 * Arguments: SAMPLE_DIR WAREHOUSE [THRESHOLD]; prints the row counts and milliseconds as JSON.
 * pipeline-throughput.ts compiles it (compiled-script.ts) and runs it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [sampleDir = '', warehouse = '', threshold = '7000000'] = process.argv.slice(2);
const pages = join(sampleDir, 'search', '*', '*.json').replaceAll("'", "''");
for (const file of [warehouse, `${warehouse}.wal`]) rmSync(file, { force: true });

const started = performance.now();
const instance = await DuckDBInstance.create(warehouse);
const connection = await instance.connect();
await connection.run(`CREATE TABLE raw_listings AS
  SELECT unnest(results, max_depth := 2), current_date AS snapshot_date
  FROM read_json('${pages}', columns = {results: 'STRUCT(id VARCHAR, site_id VARCHAR, title VARCHAR, price DOUBLE, currency_id VARCHAR, sold_quantity BIGINT, thumbnail VARCHAR, category_id VARCHAR)[]'})`);
await connection.run(`CREATE TABLE cleaned_listings AS
  SELECT DISTINCT ON (id) id, site_id, title, price::DOUBLE AS price, currency_id, sold_quantity::BIGINT AS sold_quantity, thumbnail, category_id, snapshot_date AS created_date
  FROM raw_listings WHERE id IS NOT NULL AND price IS NOT NULL AND price >= 0`);
await connection.run(`CREATE TABLE high_volume_sales AS
  SELECT *, price * sold_quantity AS revenue FROM cleaned_listings
  WHERE currency_id = 'ARS' AND price * sold_quantity >= ${Number(threshold)} ORDER BY revenue DESC`);
const counts = await connection.runAndReadAll(
  'SELECT (SELECT count(*) FROM raw_listings) AS raw, (SELECT count(*) FROM cleaned_listings) AS cleaned, (SELECT count(*) FROM high_volume_sales) AS high',
);
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ ...counts.getRowObjectsJson()[0], ms: Math.round(performance.now() - started) }));
