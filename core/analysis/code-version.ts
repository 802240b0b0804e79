/**
 * An asset's code version: a hash of its definition and of every function, constant and class of
 * the project it references, followed transitively (the query builders in another file, the
 * resource tokens). Other assets it references are its deps, not its code, and types do not run,
 * so neither counts. Each piece of code is reduced to its tokens, so comments and formatting do not
 * change the version; anything else does.
 */
import { createHash } from 'node:crypto';
import type { ts } from 'ts-morph';
import { Node, SyntaxKind } from './ts-morph.ts';
import { declarationOf } from './duckdag-symbols.ts';

export interface CodeVersionScope {
  /** Whether a node is the project's own code (not duckdag's, not an installed package's). */
  isProjectNode(node: Node): boolean;
  /** Whether a declaration holds an asset definition (a dep, not code). */
  isAssetDeclaration(node: Node): boolean;
}

export function codeVersion(definition: Node, scope: CodeVersionScope): string {
  const root = topLevelOf(definition);
  const seen = new Set<ts.Node>([root.compilerNode]);
  const queue: Node[] = [root];
  const texts: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    texts.push(normalizedText(next === root ? definition : next));
    next.forEachDescendant((node, traversal) => {
      if (Node.isTypeNode(node) || Node.isImportDeclaration(node)) {
        traversal.skip();
        return;
      }
      if (!Node.isIdentifier(node)) return;
      const declaration = declarationOf(node);
      if (declaration === undefined || !scope.isProjectNode(declaration) || scope.isAssetDeclaration(declaration)) return;
      if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration)) return;
      const top = topLevelOf(declaration);
      if (seen.has(top.compilerNode)) return;
      seen.add(top.compilerNode);
      queue.push(top);
    });
  }
  const [own = '', ...referenced] = texts;
  return createHash('sha256').update([own, ...referenced.sort()].join('\n')).digest('hex').slice(0, 16);
}

/** The statement of its file a node belongs to. */
function topLevelOf(node: Node): Node {
  let current = node;
  for (let parent = current.getParent(); parent !== undefined && !Node.isSourceFile(parent); parent = current.getParent()) current = parent;
  return current;
}

/** The node's tokens, space-separated: its code without comments or layout. */
function normalizedText(node: Node): string {
  const sourceFile = node.getSourceFile().compilerNode;
  const tokens: string[] = [];
  const visit = (current: ts.Node) => {
    if (current.kind >= SyntaxKind.FirstJSDocNode && current.kind <= SyntaxKind.LastJSDocNode) return;
    const children = current.getChildren(sourceFile);
    if (children.length === 0) {
      tokens.push(current.getText(sourceFile));
      return;
    }
    for (const child of children) visit(child);
  };
  visit(node.compilerNode);
  return tokens.join(' ');
}
