import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { coreIndex, fixtureProject, type FixtureProject } from './support/fixture-project.ts';

const duckdag = JSON.stringify(coreIndex);

function queries(comment: string, threshold: number): string {
  return `import { sql, type Sql } from ${duckdag};
// ${comment}
export function bigOrdersQuery(orders: Sql): Sql {
  return sql\`SELECT * FROM \${orders} WHERE amount >= ${threshold}\`;
}
`;
}

function ordersProject(t: TestContext): FixtureProject {
  return fixtureProject(t, {
    'queries.ts': queries('Orders worth a look.', 100),
    'assets.ts': `import { sql, sqlAsset } from ${duckdag};
import { bigOrdersQuery } from './queries.ts';
export const orders = sqlAsset({ name: 'orders', query: () => sql\`SELECT * FROM (VALUES (1, 50), (2, 500), (3, 5000)) AS t(id, amount)\` });
export const bigOrders = sqlAsset({ name: 'big_orders', deps: { orders }, query: ({ orders }) => bigOrdersQuery(orders) });
export const summary = sqlAsset({ name: 'summary', deps: { bigOrders }, query: ({ bigOrders }) => sql\`SELECT count(*) AS n FROM \${bigOrders}\` });
`,
    'duckdag.config.ts': `import { defineConfig } from ${duckdag};
import { bigOrders, orders, summary } from './assets.ts';
export default defineConfig({ assets: [orders, bigOrders, summary] });
`,
  });
}

interface StatusRow {
  asset: string;
  state: string;
  causes: string;
}

async function states(project: FixtureProject): Promise<Record<string, { state: string; causes: string }>> {
  const run = await project.run(['status', '--json']);
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries((JSON.parse(run.stdout) as StatusRow[]).map((row) => [row.asset, { state: row.state, causes: row.causes }]));
}

async function materialized(project: FixtureProject, ...args: string[]): Promise<string[]> {
  const run = await project.run(['materialize', '--json', ...args]);
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { assets: { asset: string }[] }).assets.map((asset) => asset.asset);
}

test('assets never materialized are missing, and fresh once materialized', async (t) => {
  const project = ordersProject(t);
  await materialized(project, '--select', 'orders');
  assert.deepEqual(await states(project), {
    orders: { state: 'fresh', causes: '' },
    big_orders: { state: 'missing', causes: '' },
    summary: { state: 'missing', causes: '' },
  });
});

test('editing only a comment of the SQL leaves every asset fresh', async (t) => {
  const project = ordersProject(t);
  await materialized(project);
  writeFileSync(join(project.dir, 'queries.ts'), queries('Orders worth a closer look, by amount.', 100));
  const after = await states(project);
  assert.deepEqual(Object.values(after).map((asset) => asset.state), ['fresh', 'fresh', 'fresh']);
});

test('editing the threshold SQL makes the asset and its downstream stale because the code changed, not its upstream', async (t) => {
  const project = ordersProject(t);
  await materialized(project);
  writeFileSync(join(project.dir, 'queries.ts'), queries('Orders worth a look.', 1000));
  const after = await states(project);
  assert.equal(after.orders?.state, 'fresh');
  assert.deepEqual(after.big_orders, { state: 'stale', causes: 'code changed since its last materialization' });
  assert.deepEqual(after.summary, { state: 'stale', causes: 'upstream big_orders is stale: code changed since its last materialization' });
});

test('re-materializing an upstream asset makes its downstream stale because of the upstream', async (t) => {
  const project = ordersProject(t);
  await materialized(project);
  await materialized(project, '--select', 'orders');
  const after = await states(project);
  assert.equal(after.orders?.state, 'fresh');
  assert.deepEqual(after.big_orders, { state: 'stale', causes: 'upstream orders materialized after it' });
  assert.equal(after.summary?.state, 'stale');
  assert.match(after.summary?.causes ?? '', /upstream big_orders is stale/);
});

test('--select stale materializes exactly the stale assets, after which all are fresh', async (t) => {
  const project = ordersProject(t);
  await materialized(project);
  writeFileSync(join(project.dir, 'queries.ts'), queries('Orders worth a look.', 1000));
  assert.deepEqual(await materialized(project, '--select', 'stale'), ['big_orders', 'summary']);
  assert.deepEqual(Object.values(await states(project)).map((asset) => asset.state), ['fresh', 'fresh', 'fresh']);
  const nothing = await project.run(['materialize', '--select', 'stale']);
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.match(nothing.stderr, /nothing to materialize: no asset of "stale" is stale/);
});

test('the graph marks a stale asset, with its causes, and leaves fresh ones unmarked', async (t) => {
  const project = ordersProject(t);
  await materialized(project);
  writeFileSync(join(project.dir, 'queries.ts'), queries('Orders worth a look.', 1000));
  const run = await project.run(['graph', '--format', 'svg']);
  assert.equal(run.code, 0, run.stderr);
  const states = Object.fromEntries([...run.stdout.matchAll(/data-asset="([a-z_]+)" data-status="[a-z_]+" data-state="([a-z]+)"/g)].map((match) => [match[1], match[2]]));
  assert.deepEqual(states, { orders: 'fresh', big_orders: 'stale', summary: 'stale' });
  assert.match(run.stdout, /<text class="stale"[^>]*><title>code changed since its last materialization<\/title>stale<\/text>/);
});
