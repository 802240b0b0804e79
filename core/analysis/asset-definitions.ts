/**
 * The asset definitions of a project's source: every call of `sqlAsset`, `tableAsset` or
 * `valueAsset` (found by what the callee resolves to), with its spec's static parts: the name, the
 * declared deps, and the function that builds or runs its SQL.
 */
import type { CallExpression, ObjectLiteralExpression, SourceFile, ts } from 'ts-morph';
import { Node, SyntaxKind } from './ts-morph.ts';
import { declarationOf, type AssetDefiner, type DuckdagSymbols } from './duckdag-symbols.ts';

export interface DeclaredDep {
  /** The input name the asset's code receives it under. */
  readonly key: string;
  /** The upstream asset's name; null when it could not be followed to a definition. */
  readonly asset: string | null;
  readonly node: Node;
}

export interface AssetDefinitionSite {
  readonly definer: AssetDefiner;
  readonly call: CallExpression;
  readonly spec: ObjectLiteralExpression | undefined;
  /** The static `name`, or null when it is computed. */
  readonly name: string | null;
  /** The function holding its SQL: `query`, `materialize` or `compute`. */
  readonly code: Node | undefined;
  deps: readonly DeclaredDep[];
}

const codeProperty: Readonly<Record<AssetDefiner, string>> = { sqlAsset: 'query', tableAsset: 'materialize', valueAsset: 'compute' };

export function findAssetDefinitions(files: readonly SourceFile[], symbols: DuckdagSymbols): AssetDefinitionSite[] {
  const sites: AssetDefinitionSite[] = [];
  for (const file of files) {
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const definer = symbols.definerOf(call);
      if (definer === undefined) continue;
      const [argument] = call.getArguments();
      const spec = Node.isObjectLiteralExpression(argument) ? argument : undefined;
      sites.push({ definer, call, spec, name: spec === undefined ? null : staticString(propertyValue(spec, 'name')), code: functionOf(propertyValue(spec, codeProperty[definer])), deps: [] });
    }
  }
  // Deps refer to other definitions, so they are read once every definition is known.
  const byCall = new Map<ts.Node, AssetDefinitionSite>(sites.map((site) => [site.call.compilerNode, site]));
  for (const site of sites) site.deps = declaredDeps(site.spec, byCall);
  return sites;
}

/** The value of a property written in an object literal (`name: x`, `name`, or a method). */
export function propertyValue(spec: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  const property = spec?.getProperty(name);
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  if (Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property)) return property;
  return undefined;
}

function staticString(node: Node | undefined): string | null {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isIdentifier(node)) {
    const declaration = declarationOf(node);
    if (Node.isVariableDeclaration(declaration)) return staticString(declaration.getInitializer());
  }
  return null;
}

/** The function a property holds: written in place, or a reference to one declared elsewhere. */
export function functionOf(node: Node | undefined): Node | undefined {
  if (node === undefined) return undefined;
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node) || Node.isFunctionDeclaration(node)) return node;
  if (Node.isIdentifier(node) || Node.isShorthandPropertyAssignment(node)) {
    const declaration = declarationOf(node);
    if (Node.isFunctionDeclaration(declaration)) return declaration;
    if (Node.isVariableDeclaration(declaration)) return functionOf(declaration.getInitializer());
  }
  return undefined;
}

function declaredDeps(spec: ObjectLiteralExpression | undefined, byCall: ReadonlyMap<ts.Node, AssetDefinitionSite>): DeclaredDep[] {
  const deps = propertyValue(spec, 'deps');
  if (!Node.isObjectLiteralExpression(deps)) return [];
  return deps.getProperties().flatMap((property): DeclaredDep[] => {
    if (Node.isShorthandPropertyAssignment(property)) return [{ key: property.getName(), asset: assetNameOf(property, byCall), node: property }];
    if (Node.isPropertyAssignment(property)) return [{ key: property.getName(), asset: assetNameOf(property.getInitializerOrThrow(), byCall), node: property }];
    return [];
  });
}

/** The name of the asset an expression refers to (a constant holding a definition). */
function assetNameOf(node: Node, byCall: ReadonlyMap<ts.Node, AssetDefinitionSite>): string | null {
  const declaration = declarationOf(node);
  const initializer = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return initializer === undefined ? null : (byCall.get(initializer.compilerNode)?.name ?? null);
}
