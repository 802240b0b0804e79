/**
 * Crash safety of the transaction unpartitioned SQL assets share (storage/deferred-commits.ts): it
 * commits several assets at once, so a SIGKILL loses the latest ones. After any kill, each asset's
 * table must agree with its history (the new rows with a new history row, or the previous rows
 * without one), and the assets that are new must be a prefix of the chain. An asset with resources
 * must start only once the SQL assets upstream of it are durable. Run by `npm run test:crash` (the
 * kills before writes to the log need a C compiler).
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { coreIndex, fixtureProject, type FixtureProject } from '../support/fixture-project.ts';
import { buildKillShim } from '../support/kill-shim.ts';
import { tempDir } from '../support/temp-dir.ts';

const steps = 24;
let shim = '';

before(() => {
  const dir = tempDir({ after: (fn: () => void) => process.on('exit', fn) } as never, 'duckdag-shared-');
  shim = buildKillShim(dir);
});

const name = (index: number) => `step_${String(index).padStart(2, '0')}`;

/** A chain of SQL assets, each busy for STEP_MS before its query: the first selects FIRST, each next one more. */
function chainProject(t: Parameters<typeof fixtureProject>[0]): FixtureProject {
  return fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, sql, sqlAsset } from ${JSON.stringify(coreIndex)};
      const work = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
      const assets = [];
      for (let i = 0; i < ${steps}; i += 1) {
        const previous = assets.at(-1);
        assets.push(sqlAsset({
          name: 'step_' + String(i).padStart(2, '0'),
          deps: previous ? { previous } : {},
          query: ({ previous }) => (work(Number(process.env.STEP_MS)), previous ? sql\`SELECT n + 1 AS n FROM \${previous}\` : sql\`SELECT \${Number(process.env.FIRST)} AS n\`),
        }));
      }
      export default defineConfig({ assets });`,
  });
}

interface Stored {
  readonly asset: string;
  /** The table's one value. */
  readonly n: number;
  /** Its materializations in the history. */
  readonly materializations: number;
}

async function stored(project: FixtureProject, warehouse: string): Promise<Stored[]> {
  const values = Array.from({ length: steps }, (_, index) => `SELECT '${name(index)}' AS asset, n FROM ${name(index)}`).join(' UNION ALL ');
  const run = await project.run([
    '--warehouse', warehouse, 'query', '--json',
    `SELECT v.asset, v.n, (SELECT count(*) FROM duckdag.materializations m WHERE m.asset = v.asset AND m.status = 'materialized') AS materializations
     FROM (${values}) AS v ORDER BY v.asset`,
  ]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Stored[];
}

/** Each table as before (value i + 1, one materialization) or new (value i + 101, two), the new ones a prefix of the chain. */
function assertAgreeingPrefix(rows: readonly Stored[], label: string): void {
  let fresh = true;
  rows.forEach((row, index) => {
    const isNew = row.n === index + 101;
    assert.ok(isNew || row.n === index + 1, `${label}: ${row.asset} holds ${row.n}, neither its previous nor its new value`);
    assert.equal(row.materializations, isNew ? 2 : 1, `${label}: ${row.asset} holds ${isNew ? 'new' : 'previous'} rows but has ${row.materializations} materializations`);
    assert.ok(fresh || !isNew, `${label}: ${row.asset} is new but an upstream of it is not: ${JSON.stringify(rows)}`);
    fresh = isNew;
  });
}

test('a kill before each write to the log of a chain of SQL assets leaves each table agreeing with its history, the new ones a prefix', async (t) => {
  const project = chainProject(t);
  const baseline = join(project.dir, 'baseline.duckdb');
  const first = await project.run(['--warehouse', baseline, 'materialize'], { env: { STEP_MS: '0', FIRST: '1' } });
  assert.equal(first.code, 0, first.stderr);
  let kills = 0;
  let partial = false;
  for (let write = 1; ; write += 1) {
    const warehouse = join(project.dir, `write-${write}.duckdb`);
    copyFileSync(baseline, warehouse);
    const run = await project.run(['--warehouse', warehouse, 'materialize'], { env: { STEP_MS: '60', FIRST: '101', LD_PRELOAD: shim, KILL_AT: `walwrite:${write}` } });
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      assert.ok((await stored(project, warehouse)).every((row, index) => row.n === index + 101 && row.materializations === 2));
      break;
    }
    kills += 1;
    const rows = await stored(project, warehouse);
    assertAgreeingPrefix(rows, `killed before WAL write ${write}`);
    const fresh = rows.filter((row) => row.materializations === 2).length;
    if (fresh > 0 && fresh < steps) partial = true;
  }
  assert.ok(kills >= 2, `expected the run to commit several times, it committed ${kills} times before its last`);
  assert.ok(partial, 'expected a kill to leave part of the chain new: the chain commits within a second, not only at its end');
});

test('kills at random moments of a chain of SQL assets leave each table agreeing with its history, the new ones a prefix', async (t) => {
  const project = chainProject(t);
  const baseline = join(project.dir, 'baseline.duckdb');
  const first = await project.run(['--warehouse', baseline, 'materialize'], { env: { STEP_MS: '0', FIRST: '1' } });
  assert.equal(first.code, 0, first.stderr);
  for (const delayMs of [400, 900, 1300, 1700, 2100, 2600]) {
    const warehouse = join(project.dir, `random-${delayMs}.duckdb`);
    copyFileSync(baseline, warehouse);
    await project.run(['--warehouse', warehouse, 'materialize'], { env: { STEP_MS: '60', FIRST: '101' }, killAfterMs: delayMs });
    assertAgreeingPrefix(await stored(project, warehouse), `killed after ${delayMs} ms`);
  }
});

test('an asset with resources starts only once the SQL assets upstream of it are durable', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, resource, sql, sqlAsset, valueAsset } from ${JSON.stringify(coreIndex)};
      const outside = resource<string>('where the side effect goes');
      const counted = sqlAsset({ name: 'counted', query: () => sql\`SELECT 3 AS n\` });
      const body = sqlAsset({ name: 'body', deps: { counted }, query: ({ counted }) => sql\`SELECT 'there are ' || n AS text FROM \${counted}\` });
      // The side effect: the process dies the moment it would start.
      const send = valueAsset({ name: 'send', deps: { body }, resources: { outside }, compute: () => process.kill(process.pid, 'SIGKILL') });
      export default defineConfig({ assets: [counted, body, send], resources: { outside: 'smtp' } });`,
  });
  const warehouse = join(project.dir, 'warehouse.duckdb');
  const run = await project.run(['--warehouse', warehouse, 'materialize']);
  assert.equal(run.signal, 'SIGKILL');
  const query = await project.run([
    '--warehouse', warehouse, 'query', '--json',
    `SELECT m.asset, m.status, (SELECT text FROM body) AS text FROM duckdag.materializations m ORDER BY m.asset`,
  ]);
  assert.equal(query.code, 0, query.stderr);
  assert.deepEqual(JSON.parse(query.stdout), [
    { asset: 'body', status: 'materialized', text: 'there are 3' },
    { asset: 'counted', status: 'materialized', text: 'there are 3' },
  ]);
});
