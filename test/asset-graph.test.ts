import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyAssetsDefinition, AssetDeps } from '../core/kernel/asset-definition.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { DefinitionError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';

const asset = (name: string, deps: AssetDeps = {}) => sqlAsset({ name, deps, query: () => sql`SELECT 1 AS x` });

function definitionError(code: string, message: RegExp) {
  return (error: unknown) => error instanceof DefinitionError && error.code === code && message.test(error.message);
}

test('an asset name that is not snake_case is rejected with the name and the rule', () => {
  assert.throws(() => asset('Raw-Listings'), definitionError('DUCKDAG_ASSET_NAME_INVALID', /"Raw-Listings".*snake_case/));
});

test('two different assets with the same name are reported by name', () => {
  assert.throws(() => AssetGraph.build([asset('a'), asset('a')]), definitionError('DUCKDAG_ASSET_DUPLICATE', /named a/));
});

test('the same definition listed twice is one asset', () => {
  const a = asset('a');
  assert.deepEqual(AssetGraph.build([a, a]).topologicalOrder, ['a']);
});

test('a dependency on an asset missing from the project is reported with both names', () => {
  const raw = asset('raw');
  assert.throws(
    () => AssetGraph.build([asset('clean', { raw })]),
    definitionError('DUCKDAG_ASSET_UNKNOWN_DEP', /asset clean depends on raw, which is not among the project's assets/),
  );
});

test('a cycle is reported as a → b → c → a', () => {
  const a = asset('a');
  const b = asset('b', { a });
  const c = asset('c', { b });
  (a as { deps: AssetDeps }).deps = { c };
  assert.throws(() => AssetGraph.build([a, b, c]), definitionError('DUCKDAG_ASSET_CYCLE', /a → b → c → a/));
});

test('a dependency that is not an asset definition is rejected when the asset is defined', () => {
  assert.throws(
    () => sqlAsset({ name: 'x', deps: { up: undefined as unknown as AnyAssetsDefinition }, query: () => sql`SELECT 1` }),
    definitionError('DUCKDAG_ASSET_DEP_INVALID', /asset x: dependency "up" is not an asset definition/),
  );
});

test('topological order puts upstream first and breaks ties by name', () => {
  const root = asset('root');
  const zeta = asset('zeta', { root });
  const alpha = asset('alpha', { root });
  const sink = asset('sink', { zeta, alpha });
  assert.deepEqual(AssetGraph.build([sink, zeta, alpha, root]).topologicalOrder, ['root', 'alpha', 'zeta', 'sink']);
});

test('reachable follows edges up or down to a depth', () => {
  const a = asset('a');
  const b = asset('b', { a });
  const c = asset('c', { b });
  const graph = AssetGraph.build([a, b, c]);
  assert.deepEqual([...graph.reachable('c', 'in', 1)], ['b']);
  assert.deepEqual([...graph.reachable('c', 'in')].sort(), ['a', 'b']);
  assert.deepEqual([...graph.reachable('a', 'out')].sort(), ['b', 'c']);
});

test('an invalid retry policy names the asset and the field', () => {
  assert.throws(
    () => sqlAsset({ name: 'x', retry: { attempts: 0 }, query: () => sql`SELECT 1` }),
    definitionError('DUCKDAG_RETRY_POLICY_INVALID', /asset x: retry.attempts must be a positive integer, got 0/),
  );
});
