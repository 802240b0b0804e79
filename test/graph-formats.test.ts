import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatGraph } from '../core/cli/graph-formats.ts';
import type { AssetDeps } from '../core/kernel/asset-definition.ts';
import { AssetGraph } from '../core/kernel/asset-graph.ts';
import { sql } from '../core/kernel/sql.ts';
import { sqlAsset } from '../core/kernel/sql-asset.ts';
import { valueAsset } from '../core/kernel/value-asset.ts';
import { AssetKinds } from '../storage/asset-kinds.ts';
import { useChromium } from './support/chromium.ts';
import { layoutDot } from './support/graphviz.ts';

const table = (name: string, deps: AssetDeps = {}, description = '') => sqlAsset({ name, deps, description, query: () => sql`SELECT 1` });
// Names and descriptions that break naive writers: a Mermaid keyword, quotes, a backslash.
const start = table('start', {}, 'says "hi" \\ bye');
const end = table('end', { start });
const graph_ = table('graph', { start });
const report = valueAsset({ name: 'report', deps: { end, graph_ }, compute: () => 1 });
const graph = AssetGraph.build([start, end, graph_, report]);
const kinds = new AssetKinds();

test('graph DOT output is laid out by Graphviz with one node per asset and one edge per dependency', async () => {
  const layout = await layoutDot(formatGraph(graph, kinds, 'dot'));
  const names = layout.objects.map((node) => node.name);
  assert.deepEqual(names, ['start', 'end', 'graph', 'report']);
  const edges = layout.edges.map((edge) => `${names[edge.tail]} -> ${names[edge.head]}`);
  assert.deepEqual(edges, ['end -> report', 'graph -> report', 'start -> end', 'start -> graph']);
});

const browser = useChromium();

/** A page with Mermaid loaded and, when given, `text` rendered as a diagram. */
async function mermaidPage(text?: string): Promise<Page> {
  const page = await (await browser()).newPage();
  await page.setContent('<html><body><pre class="mermaid"></pre></body></html>');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
  if (text !== undefined) {
    await page.locator('pre.mermaid').evaluate((element, diagram) => (element.textContent = diagram), text);
    await page.evaluate(() => (globalThis as unknown as { mermaid: { run(): Promise<void> } }).mermaid.run());
  }
  return page;
}

test('graph Mermaid output parses as a flowchart in Mermaid itself', async () => {
  const page = await mermaidPage();
  const parsed = await page.evaluate(async (text) => {
    const mermaid = (globalThis as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } }).mermaid;
    return mermaid.parse(text);
  }, formatGraph(graph, kinds, 'mermaid'));
  assert.equal(parsed.diagramType, 'flowchart-v2');
});

test('graph Mermaid output renders one box per asset, labelled with its name, kind and group', async () => {
  const page = await mermaidPage(formatGraph(graph, kinds, 'mermaid'));
  assert.deepEqual(await page.locator('svg g.node .nodeLabel').allInnerTexts(), [
    'start\ntable · default',
    'end\ntable · default',
    'graph\ntable · default',
    'report\nvalue · default',
  ]);
});

test('graph Mermaid output renders value assets as parallelograms and table assets as rectangles', async () => {
  const page = await mermaidPage(formatGraph(graph, kinds, 'mermaid'));
  assert.deepEqual(await page.locator('svg g.node:has(> polygon) .nodeLabel').allInnerTexts(), ['report\nvalue · default']);
  assert.equal(await page.locator('svg g.node:has(> rect.label-container)').count(), 3);
});

test('graph Mermaid output renders one arrow per dependency', async () => {
  const page = await mermaidPage(formatGraph(graph, kinds, 'mermaid'));
  assert.equal(await page.locator('svg .flowchart-link').count(), 4);
});
