import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssetDeps } from '../core/kernel/asset-definition.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { selectAssets } from '../core/kernel/asset-selection.ts';
import { SelectionError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';

const asset = (name: string, deps: AssetDeps = {}, extra: { group?: string; tags?: Record<string, string> } = {}) =>
  sqlAsset({ name, deps, ...extra, query: () => sql`SELECT 1 AS x` });

// raw → cleaned → high → body → email, and cleaned → rejected_report; other_source stands alone.
const raw = asset('raw', {}, { group: 'ingest', tags: { layer: 'bronze' } });
const cleaned = asset('cleaned', { raw }, { tags: { layer: 'silver' } });
const high = asset('high', { cleaned }, { tags: { layer: 'gold' } });
const body = asset('body', { high }, { group: 'email' });
const email = asset('email', { body }, { group: 'email', tags: { side_effect: 'yes' } });
const report = asset('rejected_report', { cleaned });
const other = asset('other_source', {}, { group: 'ingest' });
const graph = AssetGraph.build([raw, cleaned, high, body, email, report, other]);

const cases: [select: string, exclude: string | undefined, expected: string[]][] = [
  ['high', undefined, ['high']],
  ['+high', undefined, ['raw', 'cleaned', 'high']],
  ['high+', undefined, ['high', 'body', 'email']],
  ['+high+', undefined, ['raw', 'cleaned', 'high', 'body', 'email']],
  ['1+high', undefined, ['cleaned', 'high']],
  ['2+high', undefined, ['raw', 'cleaned', 'high']],
  ['high+1', undefined, ['high', 'body']],
  ['tag:layer=silver', undefined, ['cleaned']],
  ['tag:layer', undefined, ['raw', 'cleaned', 'high']],
  ['group:email', undefined, ['body', 'email']],
  ['group:ingest', undefined, ['other_source', 'raw']],
  ['*', undefined, ['other_source', 'raw', 'cleaned', 'high', 'rejected_report', 'body', 'email']],
  ['raw,email', undefined, ['raw', 'email']],
  ['raw, email', undefined, ['raw', 'email']],
  ['cleaned+', 'tag:side_effect=yes', ['cleaned', 'high', 'rejected_report', 'body']],
  ['*', 'group:email,other_source', ['raw', 'cleaned', 'high', 'rejected_report']],
  ['+group:email', undefined, ['raw', 'cleaned', 'high', 'body', 'email']],
];

for (const [select, exclude, expected] of cases) {
  test(`selection "${select}"${exclude === undefined ? '' : ` excluding "${exclude}"`} selects ${expected.join(', ')}`, () => {
    assert.deepEqual(selectAssets(graph, select, exclude), expected);
  });
}

test('an unknown name is an error that suggests the closest asset name', () => {
  assert.throws(
    () => selectAssets(graph, 'claened'),
    (error: unknown) => error instanceof SelectionError && error.code === 'DUCKDAG_SELECTION_UNKNOWN_ASSET' && /"claened"; did you mean "cleaned"\?/.test(error.message),
  );
});

test('a group with no assets is an error naming it', () => {
  assert.throws(() => selectAssets(graph, 'group:nope'), /no asset is in group "nope"/);
});

test('a tag no asset has is an error naming it', () => {
  assert.throws(() => selectAssets(graph, 'tag:layer=platinum'), /no asset has tag layer=platinum/);
});

test('excluding everything selected is an error', () => {
  assert.throws(() => selectAssets(graph, 'raw', 'raw'), (error: unknown) => error instanceof SelectionError && error.code === 'DUCKDAG_SELECTION_EMPTY');
});

test('a term that cannot be read is an error quoting it', () => {
  assert.throws(() => selectAssets(graph, '++raw'), /cannot read selection term "\+\+raw"/);
});
