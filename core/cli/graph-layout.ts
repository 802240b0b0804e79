/**
 * Where each asset, dependency and group goes in a picture of the graph, left to right: laid out by
 * Graphviz's `dot` compiled to WebAssembly (@hpcc-js/wasm-graphviz), which has the fewest edge
 * crossings of the engines measured. It is loaded only when a graph is drawn.
 */
import { dotString } from './graph-formats.ts';

/** What the layout needs of a node: its name, group and size in pixels. */
export interface LayoutNode {
  readonly name: string;
  readonly group: string;
  readonly width: number;
  readonly height: number;
}

/** A box in the picture's coordinates: top-left corner, y downwards. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, Box>;
  /** One per dependency: the SVG path from the upstream node to the downstream one's edge. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly path: string }[];
  /** One per group, drawn only when there is more than one group. */
  readonly groups: readonly (Box & { readonly name: string })[];
}

/** Space around the drawing, in pixels. */
const margin = 16;
/** Graphviz measures node sizes in inches of 72 points; the picture uses one pixel per point. */
const pointsPerInch = 72;

interface Json0 {
  readonly bb: string;
  readonly objects?: readonly { readonly name: string; readonly bb?: string; readonly label?: string; readonly pos?: string; readonly nodes?: readonly number[] }[];
  readonly edges?: readonly { readonly tail: number; readonly head: number; readonly pos: string }[];
}

export async function layoutGraph(nodes: readonly LayoutNode[], edges: readonly (readonly [string, string])[]): Promise<GraphLayout> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  const groups = [...new Set(nodes.map((node) => node.group))].sort();
  // `json0` (positions, without drawing operations) works but is missing from the package's `Format` type.
  const result = JSON.parse(graphviz.layout(toDot(nodes, edges, groups.length > 1 ? groups : []), 'json0' as 'json', 'dot')) as Json0;
  const [, , right, top] = numbers(result.bb);
  const height = (top ?? 0) + 2 * margin;
  const point = (x: number, y: number): string => `${round(x + margin)},${round(height - margin - y)}`;
  const objects = result.objects ?? [];
  const sizes = new Map(nodes.map((node) => [node.name, node]));
  const boxes = new Map<string, Box>();
  const clusters: (Box & { name: string })[] = [];
  for (const object of objects) {
    const size = sizes.get(object.name);
    if (size !== undefined && object.pos !== undefined) {
      const [x = 0, y = 0] = numbers(object.pos);
      boxes.set(object.name, { x: round(x + margin - size.width / 2), y: round(height - margin - y - size.height / 2), width: size.width, height: size.height });
    } else if (object.bb !== undefined && object.name.startsWith('cluster_')) {
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = numbers(object.bb);
      clusters.push({ name: object.label ?? '', x: round(x1 + margin), y: round(height - margin - y2), width: round(x2 - x1), height: round(y2 - y1) });
    }
  }
  const layoutEdges = (result.edges ?? []).map((edge) => {
    const [points, end] = splinePoints(edge.pos);
    const [first, ...rest] = points.map(([x, y]) => point(x, y));
    const curves: string[] = [];
    for (let index = 0; index + 2 < rest.length; index += 3) curves.push(`C${rest[index]} ${rest[index + 1]} ${rest[index + 2]}`);
    return {
      from: objects[edge.tail]?.name ?? '',
      to: objects[edge.head]?.name ?? '',
      path: `M${first}${curves.join('')}${end === undefined ? '' : `L${point(end[0], end[1])}`}`,
    };
  });
  return { width: round((right ?? 0) + 2 * margin), height: round(height), nodes: boxes, edges: layoutEdges, groups: clusters };
}

function toDot(nodes: readonly LayoutNode[], edges: readonly (readonly [string, string])[], groups: readonly string[]): string {
  const nodeLine = (node: LayoutNode) =>
    `${dotString(node.name)} [width=${node.width / pointsPerInch}, height=${node.height / pointsPerInch}];`;
  const lines = ['digraph assets {', 'rankdir=LR; nodesep=0.3; ranksep=0.7;', 'node [shape=box, fixedsize=true, label=""];'];
  if (groups.length === 0) lines.push(...nodes.map(nodeLine));
  groups.forEach((group, index) => {
    lines.push(`subgraph cluster_${index} { label=${dotString(group)}; fontsize=13; margin=12;`);
    lines.push(...nodes.filter((node) => node.group === group).map(nodeLine));
    lines.push('}');
  });
  lines.push(...edges.map(([from, to]) => `${dotString(from)} -> ${dotString(to)};`), '}');
  return lines.join('\n');
}

/** Graphviz's edge `pos`: `e,x,y` (where the arrow points), then the B-spline's control points. */
function splinePoints(pos: string): [[number, number][], [number, number] | undefined] {
  let end: [number, number] | undefined;
  const points: [number, number][] = [];
  for (const part of pos.split(' ')) {
    const values = numbers(part.replace(/^[es],/, ''));
    const pair: [number, number] = [values[0] ?? 0, values[1] ?? 0];
    if (part.startsWith('e,')) end = pair;
    else if (!part.startsWith('s,')) points.push(pair);
  }
  return [points, end];
}

function numbers(text: string): number[] {
  return text.split(',').map(Number);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
