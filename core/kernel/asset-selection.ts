/**
 * Selection expressions, as in Dagster and dbt: `name`, `+name` (with everything upstream),
 * `name+` (downstream), `2+name` (upstream to depth 2), `tag:key=value`, `group:name`, `*`,
 * `stale` (the assets that are stale or missing, given by the caller), unions separated by commas
 * or spaces; an exclusion uses the same syntax.
 */
import { closest } from 'fastest-levenshtein';
import type { AssetGraph } from './asset-graph.ts';
import { SelectionError } from './errors.ts';

const termPattern = /^(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;

/** Whether a selection expression uses the `stale` term, which needs the project's staleness. */
export function usesStale(expression: string | undefined): boolean {
  return (expression ?? '').split(/[\s,]+/).some((term) => termPattern.exec(term)?.[2] === 'stale');
}

/**
 * Resolves `select` minus `exclude` to asset names in topological order. `stale` is the set the
 * `stale` term stands for.
 */
export function selectAssets(graph: AssetGraph, select: string, exclude?: string, stale?: ReadonlySet<string>): string[] {
  const selected = resolveExpression(graph, select, stale);
  const excluded = exclude === undefined || exclude.trim() === '' ? new Set<string>() : resolveExpression(graph, exclude, stale);
  const names = graph.topologicalOrder.filter((name) => selected.has(name) && !excluded.has(name));
  if (names.length === 0) {
    throw new SelectionError(
      'DUCKDAG_SELECTION_EMPTY',
      `selection "${select}"${exclude ? ` excluding "${exclude}"` : ''} matches no assets`,
    );
  }
  return names;
}

function resolveExpression(graph: AssetGraph, expression: string, stale: ReadonlySet<string> | undefined): Set<string> {
  const terms = expression.split(/[\s,]+/).filter((term) => term !== '');
  if (terms.length === 0) throw new SelectionError('DUCKDAG_SELECTION_INVALID', 'the selection is empty');
  const names = new Set<string>();
  for (const term of terms) {
    for (const name of resolveTerm(graph, term, stale)) names.add(name);
  }
  return names;
}

function resolveTerm(graph: AssetGraph, term: string, stale: ReadonlySet<string> | undefined): Set<string> {
  const match = termPattern.exec(term);
  if (match === null) {
    throw new SelectionError('DUCKDAG_SELECTION_INVALID', `cannot read selection term "${term}": expected [N+]name[+N]`);
  }
  const [, upstreamDepth, body = '', downstreamDepth] = match;
  const roots = resolveBody(graph, body, stale);
  const names = new Set(roots);
  for (const root of roots) {
    if (upstreamDepth !== undefined) {
      for (const name of graph.reachable(root, 'in', depthOf(upstreamDepth))) names.add(name);
    }
    if (downstreamDepth !== undefined) {
      for (const name of graph.reachable(root, 'out', depthOf(downstreamDepth))) names.add(name);
    }
  }
  return names;
}

function depthOf(digits: string): number {
  return digits === '' ? Number.POSITIVE_INFINITY : Number(digits);
}

function resolveBody(graph: AssetGraph, body: string, stale: ReadonlySet<string> | undefined): string[] {
  if (body === '*') return [...graph.topologicalOrder];
  if (body === 'stale') {
    if (stale === undefined) throw new SelectionError('DUCKDAG_SELECTION_INVALID', 'the selection term "stale" is not available here');
    return graph.topologicalOrder.filter((name) => stale.has(name));
  }
  if (body.startsWith('group:')) {
    const group = body.slice('group:'.length);
    return matching(graph, (name) => graph.get(name).group === group, `no asset is in group "${group}"`);
  }
  if (body.startsWith('tag:')) {
    const [key = '', value] = body.slice('tag:'.length).split('=', 2);
    return matching(
      graph,
      (name) => {
        const tags = graph.get(name).tags;
        return Object.hasOwn(tags, key) && (value === undefined || tags[key] === value);
      },
      `no asset has tag ${value === undefined ? key : `${key}=${value}`}`,
    );
  }
  if (!graph.has(body)) {
    const suggestion = graph.size > 0 ? closest(body, [...graph.topologicalOrder]) : undefined;
    throw new SelectionError(
      'DUCKDAG_SELECTION_UNKNOWN_ASSET',
      `no asset named "${body}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
    );
  }
  return [body];
}

function matching(graph: AssetGraph, predicate: (name: string) => boolean, emptyMessage: string): string[] {
  const names = graph.topologicalOrder.filter(predicate);
  if (names.length === 0) throw new SelectionError('DUCKDAG_SELECTION_EMPTY', emptyMessage);
  return names;
}
