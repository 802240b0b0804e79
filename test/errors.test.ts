import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as errors from '../core/kernel/errors.ts';
import { fixtureProject } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';

test('instanceof recognises duckdag errors made by another copy of the errors module', async () => {
  const copy = (await import(`../core/kernel/errors.ts?copy=${Date.now()}`)) as typeof errors;
  assert.notEqual(copy.ConfigError, errors.ConfigError);
  const error = new copy.ConfigError('DUCKDAG_OPTION_INVALID', 'bad');
  assert.ok(error instanceof errors.ConfigError);
  assert.ok(error instanceof errors.DuckdagError);
  assert.ok(!(error instanceof errors.SelectionError));
  assert.ok(new copy.CancelledError() instanceof errors.CancelledError);
  assert.ok(!(new Error('plain') instanceof errors.DuckdagError));
});

test('every duckdag error carries a stable code and the exit code it ends a command with', () => {
  assert.deepEqual(
    [
      new errors.WarehouseBusyError('held'),
      new errors.CancelledError(),
      new errors.UserCodeError('raw', new Error('boom')),
      new errors.AssetFailure('refused', { retryable: false }),
      new errors.PlanError('DUCKDAG_UPSTREAM_MISSING', 'missing'),
    ].map((error) => [error.name, error.code, error.exitCode]),
    [
      ['WarehouseBusyError', 'DUCKDAG_WAREHOUSE_BUSY', 3],
      ['CancelledError', 'DUCKDAG_CANCELLED', 130],
      ['UserCodeError', 'DUCKDAG_USER_CODE_ERROR', 1],
      ['AssetFailure', 'DUCKDAG_ASSET_FAILURE', 1],
      ['PlanError', 'DUCKDAG_UPSTREAM_MISSING', 2],
    ],
  );
});

test('an internal error exits 70 with its stack and says it is a bug in duckdag', async (t) => {
  const project = fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig });
  assert.equal((await project.run(['materialize', '--select', 'numbers'])).code, 0);
  // History a later status cannot read: its table removed behind duckdag's back.
  const { Warehouse } = await import('../storage/warehouse.ts');
  const warehouse = await Warehouse.open({ path: `${project.dir}/data/warehouse.duckdb`, access: 'read_write', lockTimeoutMs: 5000, command: 'test' });
  await (await warehouse.connect()).run('DROP TABLE duckdag.materializations');
  warehouse.close();
  const run = await project.run(['status']);
  assert.equal(run.code, 70);
  assert.match(run.stderr, /internal error, a bug in duckdag \(please report it with this output\): Catalog Error/);
  // Then the error's stack (DuckDB's errors come from native code: their stack is their message).
  assert.match(run.stderr, /\nError: Catalog Error: Table with name materializations does not exist/);
});
