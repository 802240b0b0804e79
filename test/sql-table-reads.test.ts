import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SqlReadsParser } from '../storage/sql-table-reads.ts';

let parser: SqlReadsParser;
before(async () => {
  parser = await SqlReadsParser.open();
});
after(() => parser.close());

/** The tables `statement` reads, in the order DuckDB serializes them, as `schema.table` or `table`. */
async function reads(statement: string): Promise<string[]> {
  const [parsed] = await parser.parse([statement]);
  assert.ok(parsed?.ok === true, parsed?.ok === false ? parsed.error : 'no result');
  return parsed.tables.map((table) => [table.catalog, table.schema, table.table].filter((part) => part !== '').join('.'));
}

test('statements parsed together come back in their order, a failure in its place', async () => {
  const statements = Array.from({ length: 1200 }, (_, index) => (index === 700 ? 'SELECT FROM WHERE' : `SELECT * FROM t_${index}`));
  const parsed = await parser.parse(statements);
  assert.equal(parsed.length, statements.length);
  assert.equal(parsed[700]?.ok, false);
  parsed.forEach((result, index) => {
    if (index !== 700) assert.deepEqual(result.ok ? result.tables.map((table) => table.table) : result.error, [`t_${index}`]);
  });
});

test('a CTE used in the main query is not a table read', async () => {
  assert.deepEqual(await reads('WITH recent AS (SELECT * FROM listings) SELECT * FROM recent'), ['listings']);
});

test('a CTE that reads a table of its own name reads that table: its body cannot see itself', async () => {
  const statement = 'WITH cleaned_listings AS (SELECT * FROM cleaned_listings WHERE price > 0) SELECT count(*) FROM cleaned_listings';
  assert.deepEqual(await reads(statement), ['cleaned_listings']);
});

test('a CTE sees the CTEs before it, not those after it', async () => {
  assert.deepEqual(await reads('WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b'), ['b']);
});

test('a CTE name does not hide a table qualified with its schema', async () => {
  assert.deepEqual(await reads('WITH listings AS (SELECT 1 AS id) SELECT * FROM listings JOIN main.listings USING (id)'), ['main.listings']);
});

test('a CTE is in scope in subqueries of its query, in FROM and in expressions', async () => {
  assert.deepEqual(await reads('WITH ids AS (SELECT id FROM listings) SELECT * FROM (SELECT * FROM ids) WHERE id IN (SELECT id FROM ids)'), ['listings']);
});

test('a CTE is in scope in both sides of a set operation it is attached to', async () => {
  assert.deepEqual(await reads('WITH ids AS (SELECT 1 AS id) (SELECT * FROM ids UNION ALL SELECT * FROM ids)'), []);
});

test('a WITH nested in a subquery is in scope only inside that subquery', async () => {
  const statement = 'SELECT * FROM (WITH sellers AS (SELECT * FROM listings) SELECT * FROM sellers) AS inner_query JOIN sellers USING (seller_id)';
  assert.deepEqual(await reads(statement), ['listings', 'sellers']);
});

test('a WITH nested in a CTE body is in scope only inside that body', async () => {
  assert.deepEqual(await reads('WITH a AS (WITH b AS (SELECT 1 AS id) SELECT * FROM b) SELECT * FROM a JOIN b USING (id)'), ['b']);
});

test('a nested CTE reading its own name reads the outer CTE of that name, not a table', async () => {
  const statement = 'WITH prices AS (SELECT 1 AS price) SELECT * FROM (WITH prices AS (SELECT price * 2 AS price FROM prices) SELECT * FROM prices)';
  assert.deepEqual(await reads(statement), []);
});

test('a recursive CTE referring to itself in its recursive part is not a table read', async () => {
  const statement = 'WITH RECURSIVE days(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM (SELECT n FROM days) WHERE n < 7) SELECT * FROM days';
  assert.deepEqual(await reads(statement), []);
});

test('the anchor of a recursive CTE reads the table of its name, as DuckDB binds it', async () => {
  assert.deepEqual(await reads('WITH RECURSIVE tree AS (SELECT * FROM tree UNION SELECT child FROM tree) SELECT * FROM tree'), ['tree']);
});

test('WITH RECURSIVE around a CTE that is no UNION leaves its own name a table read', async () => {
  assert.deepEqual(await reads('WITH RECURSIVE listings AS (SELECT * FROM listings) SELECT * FROM listings'), ['listings']);
});
