import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreIndex, fixtureProject } from './support/fixture-project.ts';

/** A third kind, in a file of the project's own: a DuckDB view over its upstream tables. */
const viewKindFile = `
import { defineAssetKind, identifier, resolveAssetSpec, Sql, sql, type AssetDeps, type AssetInputs, type AssetSpec, type AssetsDefinition, type TableRef } from ${JSON.stringify(coreIndex)};

export interface ViewAssetDefinition extends AssetsDefinition<TableRef> {
  readonly kind: 'view';
  readonly query: (inputs: Readonly<Record<string, unknown>>) => Sql;
}

export function viewAsset<const D extends AssetDeps>(spec: AssetSpec<D> & { query: (inputs: AssetInputs<D>) => Sql }): ViewAssetDefinition {
  return { ...resolveAssetSpec(spec, 'view', 'sql'), query: (inputs) => spec.query(inputs as AssetInputs<D>) };
}

const viewRef = (name: string): TableRef => Object.assign(new Sql(identifier(name).text), { name, partition: identifier(name) });

export const viewKind = defineAssetKind<ViewAssetDefinition>({
  name: 'view',
  shape: 'table',
  async stage(asset, { spec, context, metadata }) {
    const query = asset.query(spec.inputs);
    const [counted] = await context.query<{ n: number }>(sql\`SELECT count(*) AS n FROM (\${query})\`);
    const rowCount = counted?.n ?? 0;
    return {
      outcome: { rowCount, empty: rowCount === 0, input: viewRef(asset.name), metadata: { ...metadata(), query: query.text } },
      statements: sql\`CREATE OR REPLACE VIEW \${identifier(asset.name)} AS \${query}\`,
    };
  },
  async load(asset, _partitionKey, reader) {
    const result = await reader.read(sql\`SELECT count(*) FROM \${identifier(asset.name)}\`.text);
    return { input: viewRef(asset.name), empty: Number(result.getRows()[0]?.[0]) === 0 };
  },
});
`;

const config = (kinds: string) => `
import { defineConfig, sql, tableAsset, valueAsset } from ${JSON.stringify(coreIndex)};
import { viewAsset, viewKind } from './view-asset.ts';

const numbers = tableAsset({ name: 'numbers', materialize: async (_, ctx) => ctx.output.createAs(sql\`SELECT range AS n FROM range(\${Number(process.env.N ?? 10)})\`) });
const evens = viewAsset({ name: 'evens', deps: { numbers }, query: ({ numbers }) => sql\`SELECT n FROM \${numbers} WHERE n % 2 = 0\` });
const total = valueAsset({ name: 'total', deps: { evens }, compute: async ({ evens }, ctx) => (await ctx.query<{ n: number }>(sql\`SELECT count(*) AS n FROM \${evens}\`))[0]?.n });
export default defineConfig({ assets: [numbers, evens, total], kinds: ${kinds} });
`;

test('a kind registered by the project materializes, stores and feeds its downstream like the built-in ones', async (t) => {
  const project = fixtureProject(t, { 'view-asset.ts': viewKindFile, 'duckdag.config.ts': config('[viewKind]') });
  const run = await project.run(['materialize', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { assets: { asset: string; status: string; rowCount: number | null }[] };
  assert.deepEqual(result.assets.map((asset) => [asset.asset, asset.status, asset.rowCount]), [
    ['numbers', 'materialized', 10],
    ['evens', 'materialized', 5],
    ['total', 'materialized', null],
  ]);
  const value = await project.run(['query', `SELECT CAST(value AS VARCHAR) AS v FROM duckdag.asset_values WHERE asset = 'total'`, '--json']);
  assert.deepEqual(JSON.parse(value.stdout), [{ v: '5' }]);
  const again = await project.run(['materialize', '--select', 'numbers'], { env: { N: '4' } });
  assert.equal(again.code, 0, again.stderr);
  const view = await project.run(['query', 'SELECT count(*) AS n FROM evens', '--json']);
  assert.deepEqual(JSON.parse(view.stdout), [{ n: 2 }]);
});

test('an unselected upstream of a registered kind is read back through that kind', async (t) => {
  const project = fixtureProject(t, { 'view-asset.ts': viewKindFile, 'duckdag.config.ts': config('[viewKind]') });
  assert.equal((await project.run(['materialize'], { env: { N: '1' } })).code, 0);
  const run = await project.run(['materialize', '--select', 'total'], { env: { N: '1' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /✓ total materialized/);
});

test('list and graph show the registered kind', async (t) => {
  const project = fixtureProject(t, { 'view-asset.ts': viewKindFile, 'duckdag.config.ts': config('[viewKind]') });
  const list = JSON.parse((await project.run(['list', '--json'])).stdout) as { asset: string; kind: string }[];
  assert.deepEqual(list.map((asset) => [asset.asset, asset.kind]), [['numbers', 'table'], ['evens', 'view'], ['total', 'value']]);
  const dot = (await project.run(['graph', '--format', 'dot'])).stdout;
  assert.match(dot, /"evens" \[label="evens\\nview · default"\];/);
});

test('an asset of a kind the config does not register exits 2 naming the asset and the kind', async (t) => {
  const project = fixtureProject(t, { 'view-asset.ts': viewKindFile, 'duckdag.config.ts': config('[]') });
  const run = await project.run(['list']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /asset evens is of kind "view", which is not registered \(known: table, value\)/);
});
