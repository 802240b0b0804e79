/**
 * duckdag's own declarations, as a ts-morph project of the user's code resolves them: the functions
 * that define assets, the `sql` tag and `identifier`, the context methods that send statements, and
 * the `Sql` and `TableRef` types. Code is recognised by what its names resolve to, never by its text.
 */
import type { Project, SourceFile, ts } from 'ts-morph';
import { Node } from './ts-morph.ts';

export type AssetDefiner = 'sqlAsset' | 'tableAsset' | 'valueAsset';

export interface DuckdagSymbols {
  /** The asset-defining function a call calls, if it is one of them. */
  definerOf(call: Node): AssetDefiner | undefined;
  /** What a declaration is to duckdag: the `sql` tag, a statement-sending method, … */
  roleOf(declaration: Node | undefined): DuckdagRole | undefined;
  /** Whether values of this expression's type are SQL pieces (`Sql`, `TableRef`). */
  isSqlTyped(expression: Node): boolean;
}

export type DuckdagRole = 'sql' | 'identifier' | 'statement' | 'outputTable' | 'partition';

/** The declaration a name (or a call's callee) resolves to, through imports and re-exports. */
export function declarationOf(node: Node): Node | undefined {
  let symbol = Node.isShorthandPropertyAssignment(node) ? node.getProject().getTypeChecker().getShorthandAssignmentValueSymbol(node) : node.getSymbol();
  if (symbol === undefined) return undefined;
  if (symbol.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  return symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
}

export function duckdagSymbols(project: Project, entryPath: string): DuckdagSymbols {
  const entry: SourceFile = project.getSourceFile(entryPath) ?? project.addSourceFileAtPath(entryPath);
  const exported = entry.getExportedDeclarations();
  const first = (name: string) => exported.get(name)?.[0];
  const definers = new Map<ts.Node, AssetDefiner>();
  for (const name of ['sqlAsset', 'tableAsset', 'valueAsset'] as const) {
    const declaration = first(name);
    if (declaration !== undefined) definers.set(declaration.compilerNode, name);
  }
  const roles = new Map<ts.Node, DuckdagRole>();
  const setRole = (declaration: Node | undefined, role: DuckdagRole) => {
    if (declaration !== undefined) roles.set(declaration.compilerNode, role);
  };
  setRole(first('sql'), 'sql');
  setRole(first('identifier'), 'identifier');
  const output = first('TableOutput');
  if (Node.isInterfaceDeclaration(output)) {
    setRole(output.getMethod('createAs'), 'statement');
    setRole(output.getProperty('table'), 'outputTable');
  }
  const context = first('AssetExecutionContext');
  if (Node.isInterfaceDeclaration(context)) {
    setRole(context.getMethod('execute'), 'statement');
    setRole(context.getMethod('query'), 'statement');
  }
  const tableRef = first('TableRef');
  if (Node.isInterfaceDeclaration(tableRef)) setRole(tableRef.getProperty('partition'), 'partition');
  const sqlTypes = new Set<ts.Node>([first('Sql'), tableRef].filter((node) => node !== undefined).map((node) => node.compilerNode));
  return {
    definerOf: (call) => {
      if (!Node.isCallExpression(call)) return undefined;
      const declaration = declarationOf(call.getExpression());
      return declaration === undefined ? undefined : definers.get(declaration.compilerNode);
    },
    roleOf: (declaration) => (declaration === undefined ? undefined : roles.get(declaration.compilerNode)),
    isSqlTyped: (expression) => {
      const type = expression.getType();
      const parts = type.isUnion() ? type.getUnionTypes() : [type];
      return parts.some((part) => (part.getSymbol()?.getDeclarations() ?? []).some((declaration) => sqlTypes.has(declaration.compilerNode)));
    },
  };
}
