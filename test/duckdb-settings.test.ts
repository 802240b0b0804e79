import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { coreIndex, fixtureProject } from './support/fixture-project.ts';

/** A project of one 10,000-row table, with `duckdb` settings written into its config. */
function tunedProject(t: TestContext, duckdb: string) {
  return fixtureProject(t, {
    'duckdag.config.ts': `
import { defineConfig, sql, sqlAsset } from ${JSON.stringify(coreIndex)};
const numbers = sqlAsset({ name: 'numbers', query: () => sql\`SELECT range AS n FROM range(10000)\` });
export default defineConfig({ assets: [numbers], duckdb: ${duckdb} });
`,
  });
}

async function settings(project: ReturnType<typeof fixtureProject>, env: NodeJS.ProcessEnv = {}) {
  const run = await project.run(
    ['query', "SELECT current_setting('memory_limit') AS memory_limit, current_setting('threads') AS threads", '--json'],
    { env },
  );
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout)[0];
}

test('memoryLimit and threads from the config reach DuckDB', async (t) => {
  const project = tunedProject(t, `{ memoryLimit: '300MiB', threads: 1 }`);
  await project.run(['materialize']);
  assert.deepEqual(await settings(project), { memory_limit: '300.0 MiB', threads: 1 });
});

test('DUCKDAG_MEMORY_LIMIT and DUCKDAG_THREADS override the config', async (t) => {
  const project = tunedProject(t, `{ memoryLimit: '300MiB', threads: 1 }`);
  await project.run(['materialize']);
  assert.deepEqual(await settings(project, { DUCKDAG_MEMORY_LIMIT: '200MiB', DUCKDAG_THREADS: '2' }), { memory_limit: '200.0 MiB', threads: 2 });
});

test('rowGroupSize sets the rows per row group of the tables written', async (t) => {
  const project = tunedProject(t, `{ rowGroupSize: 4096 }`);
  const materialized = await project.run(['materialize']);
  assert.equal(materialized.code, 0, materialized.stderr);
  const run = await project.run(['query', "SELECT count(DISTINCT row_group_id) AS row_groups FROM pragma_storage_info('numbers')", '--json']);
  assert.deepEqual(JSON.parse(run.stdout), [{ row_groups: 3 }]);
});

test('a DUCKDAG_MEMORY_LIMIT that is not a size exits 2 naming the variable', async (t) => {
  const run = await tunedProject(t, '{}').run(['materialize'], { env: { DUCKDAG_MEMORY_LIMIT: 'lots' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /DUCKDAG_MEMORY_LIMIT must be a size such as 512MB or 4GB, got "lots"/);
});

test('a DUCKDAG_THREADS that is not a positive integer exits 2 naming the variable', async (t) => {
  const run = await tunedProject(t, '{}').run(['materialize'], { env: { DUCKDAG_THREADS: '0' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /DUCKDAG_THREADS must be a positive integer, got "0"/);
});

test('a rowGroupSize that is not a multiple of 2048 exits 2 naming the setting', async (t) => {
  const run = await tunedProject(t, '{ rowGroupSize: 5000 }').run(['materialize']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /duckdb.rowGroupSize must be a positive multiple of 2048, got 5000/);
});
