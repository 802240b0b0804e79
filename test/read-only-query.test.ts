import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runReadOnlyQuery } from '../storage/read-only-query.ts';
import { Warehouse } from '../storage/warehouse.ts';
import { fixtureProject, type FixtureProject } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';

/** The small project, materialized once, with a CSV file beside it for COPY FROM and read_csv. */
async function materializedProject(t: TestContext): Promise<FixtureProject> {
  const project = fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig, 'more-numbers.csv': 'day,n\n2026-11-24,99\n' });
  const run = await project.run(['materialize', '--partition', '2026-11-24']);
  assert.equal(run.code, 0, run.stderr);
  return project;
}

/** Every file under `dir` with a hash of its bytes. */
function folderSnapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile());
  return Object.fromEntries(files.sort().map((path) => [path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')]));
}

async function assertRefusedAndUnchanged(project: FixtureProject, statement: string, reason: RegExp = /query refused/) {
  const before = folderSnapshot(project.dir);
  const run = await project.run(['query', statement]);
  assert.equal(run.code, 2, `exit code of ${statement}: ${run.stdout}${run.stderr}`);
  assert.match(run.stderr, reason);
  assert.deepEqual(folderSnapshot(project.dir), before);
}

test('query refuses COPY TO over the warehouse file, which stays intact and readable', async (t) => {
  const project = await materializedProject(t);
  await assertRefusedAndUnchanged(project, "COPY (select 'pwned' x) TO 'data/warehouse.duckdb' (FORMAT csv)");
  const after = await project.run(['query', 'SELECT count(*) AS n FROM numbers', '--json']);
  assert.deepEqual(JSON.parse(after.stdout), [{ n: 10 }]);
});

test('query refuses detaching the warehouse and attaching it again writable to drop a table', async (t) => {
  const project = await materializedProject(t);
  await assertRefusedAndUnchanged(
    project,
    "USE memory; DETACH warehouse; ATTACH 'data/warehouse.duckdb' AS w2; DROP TABLE w2.main.numbers",
  );
});

test('query refuses COPY TO a file elsewhere and creates no file', async (t) => {
  const project = await materializedProject(t);
  await assertRefusedAndUnchanged(project, `COPY (select 1) TO '${join(project.dir, 'x.csv')}'`);
  assert.equal(existsSync(join(project.dir, 'x.csv')), false);
});

test('query refuses ATTACH of another file and creates no database', async (t) => {
  const project = await materializedProject(t);
  await assertRefusedAndUnchanged(project, `ATTACH '${join(project.dir, 'other.duckdb')}'`);
  assert.equal(existsSync(join(project.dir, 'other.duckdb')), false);
});

test('query refuses INSTALL of an extension', async (t) => {
  await assertRefusedAndUnchanged(await materializedProject(t), 'INSTALL httpfs');
});

const refusedStatements: readonly (readonly [string, string])[] = [
  ['two statements', 'SELECT 1; SELECT 2'],
  ['a SELECT followed by a write', 'SELECT 1; DELETE FROM numbers'],
  ['no statement at all', '  ; -- nothing'],
  ['CREATE TABLE', 'CREATE TABLE copy AS SELECT * FROM numbers'],
  ['CREATE TABLE in memory', 'CREATE TABLE memory.main.scratch AS SELECT 1 AS x'],
  ['CREATE MACRO', 'CREATE MACRO twice(x) AS x * 2'],
  ['INSERT', "INSERT INTO numbers VALUES ('2026-11-24', 99)"],
  ['UPDATE', 'UPDATE numbers SET n = 0'],
  ['DELETE', 'DELETE FROM numbers'],
  ['DROP', 'DROP TABLE numbers'],
  ['ALTER', 'ALTER TABLE numbers RENAME TO renamed'],
  ['CHECKPOINT', 'CHECKPOINT'],
  ['FORCE CHECKPOINT', 'FORCE CHECKPOINT'],
  ['the checkpoint() table function', 'SELECT * FROM checkpoint()'],
  ['EXPORT DATABASE', "EXPORT DATABASE 'exported'"],
  ['CALL of a function that writes log files', "CALL enable_logging(storage = 'file', storage_config = {'path': 'logs'})"],
  ['enable_logging() in a SELECT, qualified and in capitals', "SELECT * FROM System.Main.ENABLE_LOGGING(storage = 'file', storage_config = {'path': 'logs'})"],
  ['enable_profiling() in a subquery', 'SELECT 1 WHERE 1 IN (SELECT count(*) FROM enable_profiling())'],
  ['query() running SQL given as text', "SELECT * FROM query('SELECT 1')"],
  ['COPY FROM', "COPY numbers FROM 'more-numbers.csv'"],
  ['SET', 'SET threads = 1'],
  ['RESET', 'RESET memory_limit'],
  ['SET VARIABLE', 'SET VARIABLE x = 1'],
  ['a PRAGMA that changes a setting', "PRAGMA memory_limit = '1GB'"],
  ['PRAGMA enable_profiling', "PRAGMA enable_profiling = 'json'"],
  ['PRAGMA import_database', "PRAGMA import_database('exported')"],
  ['INSTALL from a URL', "INSTALL httpfs FROM 'http://127.0.0.1:9/'"],
  ['LOAD', 'LOAD httpfs'],
  ['UPDATE EXTENSIONS', 'UPDATE EXTENSIONS'],
  ['ATTACH', "ATTACH 'other.duckdb' AS other"],
  ['DETACH', 'DETACH warehouse'],
  ['USE', 'USE memory'],
  ['BEGIN', 'BEGIN TRANSACTION'],
  ['VACUUM', 'VACUUM'],
  ['ANALYZE', 'ANALYZE'],
  ['CREATE SECRET', "CREATE SECRET (TYPE http, BEARER_TOKEN 'x')"],
  ['EXPLAIN ANALYZE', 'EXPLAIN ANALYZE SELECT 1'],
];

test('query refuses every statement that is not one read-only SELECT, with exit 2 and the project folder unchanged', { concurrency: 4 }, async (t) => {
  const project = await materializedProject(t);
  await Promise.all(
    refusedStatements.map(([name, statement]) => t.test(`refuses ${name}: ${statement}`, () => assertRefusedAndUnchanged(project, statement))),
  );
});

const allowedStatements: readonly (readonly [string, string, RegExp])[] = [
  ['a SELECT', 'SELECT n FROM numbers ORDER BY n LIMIT 1', /"n": 0/],
  ['a CTE', 'WITH big AS (SELECT * FROM numbers WHERE n > 8) SELECT count(*) AS c FROM big', /"c": 1/],
  ['FROM first', 'FROM numbers SELECT max(n) AS top', /"top": 9/],
  ['DESCRIBE', 'DESCRIBE numbers', /"column_name": "day"/],
  ['SHOW TABLES', 'SHOW TABLES', /"name": "numbers"/],
  ['SUMMARIZE', 'SUMMARIZE numbers', /"column_name": "n"/],
  ['a table function that reads metadata', "SELECT count(*) AS c FROM pragma_table_info('numbers')", /"c": 2/],
  ['the history tables', 'SELECT count(*) AS runs FROM duckdag.runs', /"runs": 1/],
  ['a local CSV file', "SELECT n FROM read_csv('more-numbers.csv')", /"n": 99/],
];

test('query still runs read-only SELECTs of every form', { concurrency: 4 }, async (t) => {
  const project = await materializedProject(t);
  await Promise.all(
    allowedStatements.map(([name, statement, expected]) =>
      t.test(`runs ${name}: ${statement}`, async () => {
        const run = await project.run(['query', statement, '--json']);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, expected);
      }),
    ),
  );
});

test('a query with a syntax error exits 2 with the parser message', async (t) => {
  const run = await (await materializedProject(t)).run(['query', 'SELEC 1']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /query failed: Parser Error: syntax error at or near "SELEC"/);
});

test('without local files, a query cannot read a file but reads the warehouse', async (t) => {
  const project = await materializedProject(t);
  writeFileSync(join(project.dir, 'secret.txt'), 'hunter2\n');
  const warehouse = await Warehouse.open({ path: join(project.dir, 'data/warehouse.duckdb'), access: 'read_only', lockTimeoutMs: 5000, command: 'test' });
  t.after(() => warehouse.close());
  const policy = { localFiles: false };
  await assert.rejects(runReadOnlyQuery(await warehouse.connect(), `SELECT * FROM read_text('${join(project.dir, 'secret.txt')}')`, policy), /Permission Error/);
  const table = await runReadOnlyQuery(await warehouse.connect(), 'SELECT count(*) AS n FROM numbers', policy);
  assert.deepEqual(table.rows, [[10]]);
});

test('queries after the first on one warehouse keep to the policy', async (t) => {
  const project = await materializedProject(t);
  const warehouse = await Warehouse.open({ path: join(project.dir, 'data/warehouse.duckdb'), access: 'read_only', lockTimeoutMs: 5000, command: 'test' });
  t.after(() => warehouse.close());
  const connection = await warehouse.connect();
  await runReadOnlyQuery(connection, 'SELECT 1', { localFiles: true });
  assert.deepEqual((await runReadOnlyQuery(connection, 'SELECT count(*) FROM numbers', { localFiles: true })).rows, [[10]]);
  await assert.rejects(runReadOnlyQuery(connection, 'SELECT 1', { localFiles: false }), /locked with local files allowed/);
});
