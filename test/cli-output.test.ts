import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureProject } from './support/fixture-project.ts';
import { smallProjectConfig } from './support/pipeline-fixtures.ts';

const smallProject = (t: Parameters<typeof fixtureProject>[0]) => fixtureProject(t, { 'duckdag.config.ts': smallProjectConfig });

test('list --json into a reader that has already gone away exits 0 without a stack trace', async (t) => {
  const child = smallProject(t).spawn(['list', '--json']);
  child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('tables print a rule under the header and none between rows', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'numbers']);
  const run = await project.run(['query', 'SELECT n, n * 2 AS twice FROM numbers ORDER BY n LIMIT 3']);
  assert.equal(
    run.stdout,
    ['┌───┬───────┐', '│ n │ twice │', '├───┼───────┤', '│ 0 │ 0     │', '│ 1 │ 2     │', '│ 2 │ 4     │', '└───┴───────┘', ''].join('\n'),
  );
});

test('tables show each of two columns of the same name, and nulls as empty cells', async (t) => {
  const project = smallProject(t);
  await project.run(['materialize', '--select', 'numbers']);
  const run = await project.run(['query', "SELECT 1 AS n, 'two' AS n, NULL AS missing"]);
  assert.equal(run.stdout, ['┌───┬─────┬─────────┐', '│ n │ n   │ missing │', '├───┼─────┼─────────┤', '│ 1 │ two │         │', '└───┴─────┴─────────┘', ''].join('\n'));
});

test('graph --format with an unknown format exits 2 listing the valid formats', async (t) => {
  const run = await smallProject(t).run(['graph', '--format', 'png']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /Argument: format, Given: "png", Choices: "dot", "mermaid", "json", "svg", "html"/);
});

test('a usage error under --json is printed as JSON with code DUCKDAG_USAGE', async (t) => {
  const run = await smallProject(t).run(['graph', '--format', 'png', '--json']);
  assert.equal(run.code, 2);
  assert.equal(JSON.parse(run.stdout).error.code, 'DUCKDAG_USAGE');
});

test('runs --limit that is not a positive integer exits 2 naming the option', async (t) => {
  const run = await smallProject(t).run(['runs', '--limit', '0']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--limit must be a positive integer, got 0/);
});
