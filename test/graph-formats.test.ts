import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AssetDeps } from '../core/kernel/asset-definition.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { formatGraph } from '../core/cli/graph-formats.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { launchChromium } from './support/headless-chromium.ts';

const table = (name: string, deps: AssetDeps = {}, description = '') => sqlAsset({ name, deps, description, query: () => sql`SELECT 1` });
// Names and descriptions that break naive writers: a Mermaid keyword, quotes, a backslash.
const start = table('start', {}, 'says "hi" \\ bye');
const end = table('end', { start });
const graph_ = table('graph', { start });
const report = valueAsset({ name: 'report', deps: { end, graph_ }, compute: () => 1 });
const graph = AssetGraph.build([start, end, graph_, report]);
const kinds = new AssetKinds();

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser.close();
});

test('graph DOT output is accepted by Graphviz', () => {
  const dot = spawnSync('dot', ['-Tsvg'], { input: formatGraph(graph, kinds, 'dot'), encoding: 'utf8' });
  assert.equal(dot.status, 0, dot.stderr);
  for (const name of ['start', 'end', 'graph', 'report']) assert.match(dot.stdout, new RegExp(`<title>${name}</title>`));
  assert.equal((dot.stdout.match(/class="edge"/g) ?? []).length, 4);
});

test('graph Mermaid output parses as a flowchart in Mermaid itself', async () => {
  const page = await browser.newPage();
  try {
    await page.setContent('<html><body></body></html>');
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
    const parsed = await page.evaluate(async (text) => {
      const mermaid = (globalThis as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } }).mermaid;
      return mermaid.parse(text);
    }, formatGraph(graph, kinds, 'mermaid'));
    assert.equal(parsed.diagramType, 'flowchart-v2');
  } finally {
    await page.close();
  }
});

test('graph Mermaid output has one node per asset and one arrow per dependency', () => {
  const mermaid = formatGraph(graph, kinds, 'mermaid');
  assert.equal((mermaid.match(/-->/g) ?? []).length, 4);
  assert.match(mermaid, /asset_end\["end<br\/>table · default"\]/);
  assert.match(mermaid, /asset_report\[\/"report<br\/>value · default"\/\]/);
});
