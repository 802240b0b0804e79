import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { coreIndex, fixtureProject } from './support/fixture-project.ts';

const duckdag = JSON.stringify(coreIndex);

/** Assets shared by every fixture: two tables nothing is wrong with. */
const baseAssets = `
import { identifier, sql, sqlAsset, tableAsset } from ${duckdag};
export const orders = tableAsset({
  name: 'orders',
  materialize: async (_, context) => {
    await context.output.createAs(sql\`SELECT 1 AS id, 500 AS amount\`);
  },
});
export const customers = sqlAsset({ name: 'customers', query: () => sql\`SELECT 1 AS id, 'Ana' AS name\` });
`;

/** A project of the base assets plus `extra` (which may use `orders`, `customers`, `sql`, `identifier`). */
function lintProject(t: TestContext, extra: string, files: Record<string, string> = {}) {
  return fixtureProject(t, {
    'assets.ts': `${baseAssets}${extra}\nvoid identifier;\n`,
    'duckdag.config.ts': `import { defineConfig } from ${duckdag};\nimport * as assets from './assets.ts';\nexport default defineConfig({ assets: Object.values(assets) });\n`,
    ...files,
  });
}

/** Materializes the project of `extra`, which must fail (exit 1), and returns `asset`'s outcome. */
async function outcomeOfFailingRun(t: TestContext, extra: string, asset: string) {
  const run = await lintProject(t, extra).run(['materialize', '--json']);
  assert.equal(run.code, 1, run.stderr);
  const result = JSON.parse(run.stdout) as { assets: { asset: string; status: string; error: string | null; attempts: number }[] };
  return result.assets.find((outcome) => outcome.asset === asset);
}

/** line:col (from 1) of the first occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 0): string {
  const index = text.indexOf(needle) + shift;
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

test('lint reports an asset joining a table it does not declare, at the file, line and column of the table', async (t) => {
  const extra = `export const orderNames = sqlAsset({
  name: 'order_names',
  deps: { orders },
  query: ({ orders }) => sql\`SELECT o.id, c.name FROM \${orders} o JOIN customers c USING (id)\`,
});`;
  const project = lintProject(t, extra);
  const run = await project.run(['lint']);
  assert.equal(run.code, 1, run.stderr);
  const where = positionOf(`${baseAssets}${extra}`, 'JOIN customers', 'JOIN '.length);
  assert.equal(run.stdout, `assets.ts:${where} error DUCKDAG_UNDECLARED_DEP order_names reads customers but does not declare it\n`);
  assert.match(run.stderr, /1 error, 0 warnings/);
});

test('lint warns of a declared dependency the asset never reads, and exits 0', async (t) => {
  const extra = `export const lonely = sqlAsset({ name: 'lonely', deps: { orders, customers }, query: ({ customers }) => sql\`SELECT * FROM \${customers}\` });`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 0, run.stderr);
  const where = positionOf(`${baseAssets}${extra}`, 'deps: { orders', 'deps: { '.length);
  assert.equal(run.stdout, `assets.ts:${where} warning DUCKDAG_UNUSED_DEP lonely declares orders but never reads it\n`);
});

test('lint does not mistake a CTE named like an asset for that asset', async (t) => {
  const extra = `export const withCte = sqlAsset({
  name: 'with_cte',
  deps: { orders },
  query: ({ orders }) => sql\`WITH customers AS (SELECT * FROM \${orders}) SELECT * FROM customers\`,
});`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /no problems found/);
});

test('lint reports a CTE that reads the undeclared asset of its own name inside its body', async (t) => {
  const extra = `export const shadowing = sqlAsset({
  name: 'shadowing',
  deps: { orders },
  query: ({ orders }) => sql\`WITH customers AS (SELECT * FROM customers WHERE id > 0) SELECT * FROM \${orders} JOIN customers USING (id)\`,
});`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 1, run.stderr);
  const where = positionOf(`${baseAssets}${extra}`, 'FROM customers WHERE', 'FROM '.length);
  assert.equal(run.stdout, `assets.ts:${where} error DUCKDAG_UNDECLARED_DEP shadowing reads customers but does not declare it\n`);
});

test('lint does not mistake a recursive CTE named like an asset, referring to itself, for that asset', async (t) => {
  const extra = `export const counting = sqlAsset({
  name: 'counting',
  query: () => sql\`WITH RECURSIVE customers(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM customers WHERE id < 3) SELECT * FROM customers\`,
});`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
});

test('lint follows SQL built by a helper function in another file', async (t) => {
  const queries = `import { sql, type Sql, type TableRef } from ${duckdag};
/** Big orders, with their customer. */
export function bigOrdersQuery(orders: TableRef, minimum: number): Sql {
  return sql\`SELECT * FROM \${orders} JOIN customers USING (id) WHERE amount >= \${minimum}\`;
}
`;
  const extra = `import { bigOrdersQuery } from './queries.ts';
export const bigOrders = sqlAsset({ name: 'big_orders', deps: { orders }, query: ({ orders }) => bigOrdersQuery(orders.partition, 100) });`;
  const run = await lintProject(t, extra, { 'queries.ts': queries }).run(['lint', '--json']);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { findings: { location: { file: string; line: number; column: number }; code: string; message: string }[] };
  const [line, column] = positionOf(queries, 'JOIN customers', 'JOIN '.length).split(':').map(Number);
  assert.deepEqual(
    report.findings.map(({ location, code, message }) => ({ location, code, message })),
    [{ location: { file: 'queries.ts', line, column }, code: 'DUCKDAG_UNDECLARED_DEP', message: 'big_orders reads customers but does not declare it' }],
  );
});

test('lint reports SQL it cannot resolve statically as unresolved, not as clean', async (t) => {
  const extra = `export const dynamic = sqlAsset({ name: 'dynamic', query: () => sql\`SELECT * FROM \${identifier(process.env.SOURCE_TABLE ?? 'orders')}\` });`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^assets\.ts:\d+:\d+ warning DUCKDAG_UNRESOLVED_SQL dynamic: cannot follow its SQL statically \(.*names a table only known at run time\)/);
});

test('lint reports a table that is no asset of the project as an error', async (t) => {
  const extra = `export const typo = sqlAsset({ name: 'typo', deps: { orders }, query: ({ orders }) => sql\`SELECT * FROM \${orders} JOIN custmers USING (id)\` });`;
  const run = await lintProject(t, extra).run(['lint']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /^assets\.ts:\d+:\d+ error DUCKDAG_UNKNOWN_TABLE typo reads custmers, which is no asset of the project\n$/);
});

test('an asset whose SQL reads an asset it does not declare fails at run time with the same message', async (t) => {
  const extra = `export const sneaky = tableAsset({
  name: 'sneaky',
  deps: { orders },
  materialize: async ({ orders }, context) => {
    const table = process.env.SNEAKY_TABLE ?? 'customers';
    await context.output.createAs(sql\`SELECT * FROM \${orders} JOIN \${identifier(table)} USING (id)\`);
  },
});`;
  const sneaky = await outcomeOfFailingRun(t, extra, 'sneaky');
  assert.equal(sneaky?.status, 'failed');
  assert.equal(sneaky?.attempts, 1);
  assert.match(sneaky?.error ?? '', /sneaky reads customers but does not declare it/);
});

test('an asset whose CTE reads the undeclared asset of its own name fails at run time', async (t) => {
  const extra = `export const shadowing = tableAsset({
  name: 'shadowing',
  deps: { orders },
  materialize: async ({ orders }, context) => {
    const table = process.env.SHADOWED_TABLE ?? 'customers';
    await context.output.createAs(sql\`WITH \${identifier(table)} AS (SELECT * FROM \${identifier(table)}) SELECT * FROM \${orders} JOIN \${identifier(table)} USING (id)\`);
  },
});`;
  const shadowing = await outcomeOfFailingRun(t, extra, 'shadowing');
  assert.equal(shadowing?.status, 'failed');
  assert.match(shadowing?.error ?? '', /shadowing reads customers but does not declare it/);
});
