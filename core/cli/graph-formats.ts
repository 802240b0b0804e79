/**
 * The asset graph written out for other tools: Graphviz DOT, a Mermaid flowchart, or JSON; and
 * the names of the pictures `graph` draws (`svg`, `html`: see `graph-picture.ts`).
 */
import type { AssetGraph } from '../kernel/asset-graph.ts';
import type { AssetKinds } from '../../storage/asset-kinds.ts';

export const GraphFormat = { dot: 'dot', mermaid: 'mermaid', json: 'json', svg: 'svg', html: 'html' } as const;
export type GraphFormat = (typeof GraphFormat)[keyof typeof GraphFormat];
export type TextGraphFormat = Exclude<GraphFormat, 'svg' | 'html'>;

/**
 * Writes the assets `names` (default all) and the dependencies between them in `format`; node order
 * is topological, ties by name. Kinds decide node shapes.
 */
export function formatGraph(graph: AssetGraph, kinds: AssetKinds, format: TextGraphFormat, names: readonly string[] = graph.topologicalOrder): string {
  const selected = new Set(names);
  const edges = graph.edges().filter(([from, to]) => selected.has(from) && selected.has(to));
  switch (format) {
    case 'dot':
      return toDot(graph, kinds, names, edges);
    case 'mermaid':
      return toMermaid(graph, kinds, names, edges);
    case 'json':
      return `${JSON.stringify(toJson(graph, names, edges), null, 2)}\n`;
  }
}

/** A DOT quoted string. */
export function dotString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

type Edges = readonly (readonly [string, string])[];

function toDot(graph: AssetGraph, kinds: AssetKinds, names: readonly string[], edges: Edges): string {
  const lines = ['digraph assets {', '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
  for (const name of names) {
    const asset = graph.get(name);
    const label = `${name}\n${asset.kind} · ${asset.group}`;
    const shape = kinds.of(asset).shape === 'document' ? ', shape=note' : '';
    lines.push(`  ${dotString(name)} [label=${dotString(label)}${shape}];`);
  }
  for (const [from, to] of edges) lines.push(`  ${dotString(from)} -> ${dotString(to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Node ids get a prefix so that no asset name can collide with a Mermaid keyword such as `end`. */
function mermaidId(name: string): string {
  return `asset_${name}`;
}

function toMermaid(graph: AssetGraph, kinds: AssetKinds, names: readonly string[], edges: Edges): string {
  const lines = ['flowchart LR'];
  for (const name of names) {
    const asset = graph.get(name);
    const label = `${name}<br/>${asset.kind} · ${asset.group}`.replaceAll('"', '#quot;');
    lines.push(kinds.of(asset).shape === 'document' ? `  ${mermaidId(name)}[/"${label}"/]` : `  ${mermaidId(name)}["${label}"]`);
  }
  for (const [from, to] of edges) lines.push(`  ${mermaidId(from)} --> ${mermaidId(to)}`);
  return `${lines.join('\n')}\n`;
}

/** The graph as plain data: nodes with their definitions' facts, and edges. */
export function toJson(graph: AssetGraph, names: readonly string[] = graph.topologicalOrder, edges: Edges = graph.edges()) {
  return {
    assets: names.map((name) => {
      const asset = graph.get(name);
      return {
        name,
        kind: asset.kind,
        compute: asset.compute,
        group: asset.group,
        description: asset.description,
        tags: asset.tags,
        deps: graph.parents(name),
        resources: asset.resourceKeys,
        partitions: asset.partitions,
        onUpstreamEmpty: asset.onUpstreamEmpty,
        retry: asset.retry,
      };
    }),
    edges: edges.map(([from, to]) => ({ from, to })),
  };
}
