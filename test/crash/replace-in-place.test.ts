/**
 * Crash safety of an unpartitioned SQL asset, which replaces its table in place
 * (`CREATE OR REPLACE` in its transaction) instead of through a staging table: a kill before any
 * write to DuckDB's log must leave the table exactly as before or exactly new, and its history in
 * step. Run by `npm run test:crash` (the shim needs a C compiler).
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { coreIndex, fixtureProject } from '../support/fixture-project.ts';
import { buildKillShim } from '../support/kill-shim.ts';

test('a kill before each write to the log of an in-place SQL asset leaves its table as it was or completely new', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, sql, sqlAsset } from ${JSON.stringify(coreIndex)};
      const rows = Number(process.env.ROWS);
      const flat = sqlAsset({ name: 'flat', query: () => sql\`SELECT range AS n, repeat('x', 200) || range AS label FROM range(\${rows})\` });
      export default defineConfig({ assets: [flat], duckdb: { rowGroupSize: 16384 } });`,
  });
  const shim = buildKillShim(project.dir);
  const base = join(project.dir, 'base.duckdb');
  assert.equal((await project.run(['--warehouse', base, 'materialize'], { env: { ROWS: '3' } })).code, 0);
  const state = async (warehouse: string) => {
    const run = await project.run([
      '--warehouse', warehouse, 'query', '--json',
      `SELECT (SELECT count(*) FROM flat) AS rows,
              (SELECT row_count FROM duckdag.materializations WHERE status = 'materialized' ORDER BY finished_at DESC LIMIT 1) AS recorded`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { rows: number; recorded: number }[])[0]!;
  };
  let kills = 0;
  for (let write = 1; ; write += 1) {
    const warehouse = join(project.dir, `write-${write}.duckdb`);
    copyFileSync(base, warehouse);
    const run = await project.run(['--warehouse', warehouse, 'materialize'], { env: { ROWS: '300000', LD_PRELOAD: shim, KILL_AT: `walwrite:${write}` } });
    const after = await state(warehouse);
    if (run.signal !== 'SIGKILL') {
      assert.deepEqual(after, { rows: 300_000, recorded: 300_000 });
      break;
    }
    kills += 1;
    assert.ok(after.rows === 3 || after.rows === 300_000, `killed before WAL write ${write}: flat has ${after.rows} rows`);
    assert.equal(after.recorded, after.rows, `killed before WAL write ${write}: the history says ${after.recorded} rows, the table has ${after.rows}`);
  }
  assert.ok(kills >= 1);
});
