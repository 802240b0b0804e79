/**
 * Crash safety of the commits that wait (storage/deferred-commits.ts): the records of pure value
 * assets are committed together, so a SIGKILL between steps loses the latest ones. After any kill,
 * each asset must be recorded with its value or not at all, never after an upstream that is not,
 * and an asset that reaches outside (declares resources) must start only once its upstream is
 * durable. Run by `npm run test:crash` (the kills before writes to the log need a C compiler).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { coreIndex, fixtureProject, type FixtureProject } from '../support/fixture-project.ts';
import { buildKillShim } from '../support/kill-shim.ts';
import { tempDir } from '../support/temp-dir.ts';

const steps = 24;
let shim = '';

before(() => {
  const dir = tempDir({ after: (fn: () => void) => process.on('exit', fn) } as never, 'duckdag-deferred-');
  shim = buildKillShim(dir);
});

/** A chain of pure value assets, each busy for STEP_MS and returning its position (1, 2, …). */
function chainProject(t: Parameters<typeof fixtureProject>[0]): FixtureProject {
  return fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, valueAsset } from ${JSON.stringify(coreIndex)};
      const work = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
      const assets = [];
      for (let i = 0; i < ${steps}; i += 1) {
        const previous = assets.at(-1);
        assets.push(valueAsset({ name: 'step_' + String(i).padStart(2, '0'), deps: previous ? { previous } : {}, compute: () => (work(Number(process.env.STEP_MS)), i + 1) }));
      }
      export default defineConfig({ assets });`,
  });
}

interface Recorded {
  readonly asset: string;
  readonly status: string | null;
  /** The stored value, as JSON text. */
  readonly value: string | null;
}

/** Every history row and stored value, joined by asset; none when the run was killed before it created the warehouse. */
async function recorded(project: FixtureProject, warehouse: string): Promise<Recorded[]> {
  if (!existsSync(warehouse)) return [];
  const run = await project.run([
    '--warehouse', warehouse, 'query', '--json',
    `SELECT coalesce(m.asset, v.asset) AS asset, m.status, CAST(v.value AS VARCHAR) AS value
     FROM duckdag.materializations m FULL JOIN duckdag.asset_values v ON v.asset = m.asset AND v.run_id = m.run_id ORDER BY 1`,
  ]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Recorded[];
}

/** Each asset recorded with its value or not at all, and the recorded ones a prefix of the chain. */
function assertWholePrefix(rows: readonly Recorded[], label: string): void {
  rows.forEach((row, index) => {
    assert.equal(row.asset, `step_${String(index).padStart(2, '0')}`, `${label}: ${row.asset} is recorded but an upstream of it is not: ${JSON.stringify(rows)}`);
    assert.equal(row.status, 'materialized', `${label}: ${row.asset} has a value but no history row`);
    assert.equal(row.value, String(index + 1), `${label}: ${row.asset} has a history row but not its value`);
  });
}

test('a kill before each write to the log of a chain of pure value assets leaves each asset recorded with its value or not at all', async (t) => {
  const project = chainProject(t);
  let kills = 0;
  for (let write = 1; ; write += 1) {
    const warehouse = join(project.dir, `write-${write}.duckdb`);
    const run = await project.run(['--warehouse', warehouse, 'materialize'], { env: { STEP_MS: '60', LD_PRELOAD: shim, KILL_AT: `walwrite:${write}` } });
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await recorded(project, warehouse)).length, steps);
      break;
    }
    kills += 1;
    assertWholePrefix(await recorded(project, warehouse), `killed before WAL write ${write}`);
  }
  assert.ok(kills >= 2, `expected the run to commit several times, it committed ${kills} times before its last`);
});

test('kills at random moments of a chain of pure value assets leave each asset recorded with its value or not at all', async (t) => {
  const project = chainProject(t);
  for (const delayMs of [400, 900, 1300, 1700, 2100, 2600]) {
    const warehouse = join(project.dir, `random-${delayMs}.duckdb`);
    await project.run(['--warehouse', warehouse, 'materialize'], { env: { STEP_MS: '60' }, killAfterMs: delayMs });
    assertWholePrefix(await recorded(project, warehouse), `killed after ${delayMs} ms`);
  }
});

test('an asset with resources starts only once the pure value assets upstream of it are durable', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, resource, valueAsset } from ${JSON.stringify(coreIndex)};
      const outside = resource<string>('where the side effect goes');
      const count = valueAsset({ name: 'count', compute: () => 3 });
      const body = valueAsset({ name: 'body', deps: { count }, compute: ({ count }) => 'there are ' + count });
      // The side effect: the process dies the moment it would start.
      const send = valueAsset({ name: 'send', deps: { body }, resources: { outside }, compute: () => process.kill(process.pid, 'SIGKILL') });
      export default defineConfig({ assets: [count, body, send], resources: { outside: 'smtp' } });`,
  });
  const warehouse = join(project.dir, 'warehouse.duckdb');
  const run = await project.run(['--warehouse', warehouse, 'materialize']);
  assert.equal(run.signal, 'SIGKILL');
  const rows = await recorded(project, warehouse);
  assert.deepEqual(
    rows.map((row) => [row.asset, row.status]),
    [
      ['body', 'materialized'],
      ['count', 'materialized'],
    ],
  );
});
