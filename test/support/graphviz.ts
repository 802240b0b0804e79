/**
 * Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz), for checking DOT text without a system
 * Graphviz: lays a graph out with `dot`, or throws Graphviz's own error ("syntax error in line 3 near '->'").
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

/** The part of Graphviz's `-Tjson` output the tests read; edges point at nodes by index. */
export interface GraphvizLayout {
  readonly objects: readonly { readonly name: string; readonly label: string; readonly shape?: string }[];
  readonly edges: readonly { readonly tail: number; readonly head: number }[];
}

export async function layoutDot(dot: string): Promise<GraphvizLayout> {
  const graphviz = await Graphviz.load();
  return JSON.parse(graphviz.layout(dot, 'json', 'dot'));
}
