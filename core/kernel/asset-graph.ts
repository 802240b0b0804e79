/**
 * The project's assets as a dependency graph (graphology), checked when definitions load:
 * duplicate names, dependencies on assets the project does not define, and cycles are errors.
 */
import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalGenerations } from 'graphology-dag';
import type { AnyAssetsDefinition } from './asset-definition.ts';
import { DefinitionError } from './errors.ts';

export class AssetGraph {
  readonly #graph: DirectedGraph;
  readonly #assets: ReadonlyMap<string, AnyAssetsDefinition>;
  /** Every asset name, upstream before downstream, ties broken by name. */
  readonly topologicalOrder: readonly string[];

  private constructor(graph: DirectedGraph, assets: ReadonlyMap<string, AnyAssetsDefinition>) {
    this.#graph = graph;
    this.#assets = assets;
    this.topologicalOrder = topologicalGenerations(graph).flatMap((generation) => generation.sort());
  }

  /** Builds the graph, or throws a `DefinitionError` naming what is wrong. */
  static build(definitions: readonly AnyAssetsDefinition[]): AssetGraph {
    const assets = new Map<string, AnyAssetsDefinition>();
    for (const asset of definitions) {
      const existing = assets.get(asset.name);
      if (existing !== undefined && existing !== asset) {
        throw new DefinitionError('DUCKDAG_ASSET_DUPLICATE', `two different assets are named ${asset.name}; asset names must be unique`);
      }
      assets.set(asset.name, asset);
    }
    const graph = new DirectedGraph();
    for (const name of [...assets.keys()].sort()) graph.addNode(name);
    for (const asset of assets.values()) {
      for (const dep of Object.values(asset.deps)) {
        const known = assets.get(dep.name);
        if (known === undefined) {
          throw new DefinitionError(
            'DUCKDAG_ASSET_UNKNOWN_DEP',
            `asset ${asset.name} depends on ${dep.name}, which is not among the project's assets; add it to the assets of the config`,
          );
        }
        if (known !== dep) {
          throw new DefinitionError('DUCKDAG_ASSET_DUPLICATE', `asset ${asset.name} depends on a different asset also named ${dep.name}; asset names must be unique`);
        }
        graph.mergeEdge(dep.name, asset.name);
      }
    }
    if (hasCycle(graph)) {
      throw new DefinitionError('DUCKDAG_ASSET_CYCLE', `assets form a cycle: ${findCycle(graph).join(' → ')}`);
    }
    return new AssetGraph(graph, assets);
  }

  get size(): number {
    return this.#assets.size;
  }

  has(name: string): boolean {
    return this.#assets.has(name);
  }

  get(name: string): AnyAssetsDefinition {
    const asset = this.#assets.get(name);
    if (asset === undefined) throw new DefinitionError('DUCKDAG_ASSET_UNKNOWN', `no asset named ${name} in the graph`);
    return asset;
  }

  /** Direct upstream assets, sorted by name. */
  parents(name: string): string[] {
    return this.#graph.inNeighbors(name).sort();
  }

  /** Direct downstream assets, sorted by name. */
  children(name: string): string[] {
    return this.#graph.outNeighbors(name).sort();
  }

  /** Assets reachable upstream (`'in'`) or downstream (`'out'`) within `depth` steps, excluding `name`. */
  reachable(name: string, direction: 'in' | 'out', depth = Number.POSITIVE_INFINITY): Set<string> {
    const found = new Set<string>();
    let frontier = [name];
    for (let step = 0; step < depth && frontier.length > 0; step += 1) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const neighbor of direction === 'in' ? this.#graph.inNeighbors(node) : this.#graph.outNeighbors(node)) {
          if (!found.has(neighbor)) {
            found.add(neighbor);
            next.push(neighbor);
          }
        }
      }
      frontier = next;
    }
    return found;
  }

  /** Every edge as [upstream, downstream], sorted. */
  edges(): [string, string][] {
    return this.#graph
      .mapEdges((_edge, _attributes, source, target): [string, string] => [source, target])
      .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  }
}

/** One cycle of a cyclic graph, its first node repeated at the end: [a, b, c, a]. */
function findCycle(graph: DirectedGraph): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.outNeighbors(node).sort()) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle !== null) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.nodes().sort()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle !== null) return cycle;
    }
  }
  return [];
}
