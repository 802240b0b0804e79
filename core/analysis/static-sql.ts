/**
 * The SQL an asset sends, worked out from its source without running it: `sql` templates are
 * joined, upstream references become their table's name, values become literals, and calls of the
 * project's own functions that build SQL are followed into their bodies, arguments bound to their
 * parameters. What depends on run time (a branch, a loop, SQL from outside the project) is reported
 * as unresolved, with where and why, rather than guessed.
 */
import type { ts } from 'ts-morph';
import { Node, SyntaxKind } from './ts-morph.ts';
import { functionOf } from './asset-definitions.ts';
import { declarationOf, type DuckdagSymbols } from './duckdag-symbols.ts';

/** A run of SQL text and the source it comes from: `offset` characters into `origin`. */
export interface SqlPiece {
  readonly text: string;
  readonly origin: Node;
  readonly offset: number;
}

/** The name the asset's own staging table (`ctx.output.table`) stands under; never an asset's name. */
export const outputTableName = 'duckdag output';

export type StaticValue =
  | { readonly kind: 'sql'; readonly pieces: readonly SqlPiece[] }
  | { readonly kind: 'table'; readonly asset: string }
  | { readonly kind: 'output' }
  | { readonly kind: 'literal' }
  | { readonly kind: 'unresolved'; readonly reason: string; readonly node: Node };

/** Parameters of the functions being followed, bound to the arguments of their call. */
type Scope = ReadonlyMap<ts.Node, { readonly expression: Node; readonly scope: Scope }>;

const maxDepth = 32;

export class StaticSqlEvaluator {
  readonly #symbols: DuckdagSymbols;
  readonly #isProjectNode: (node: Node) => boolean;
  /** Destructured inputs of the asset's code (binding elements) → upstream asset names. */
  readonly #deps: ReadonlyMap<ts.Node, string>;

  constructor(symbols: DuckdagSymbols, isProjectNode: (node: Node) => boolean, deps: ReadonlyMap<ts.Node, string>) {
    this.#symbols = symbols;
    this.#isProjectNode = isProjectNode;
    this.#deps = deps;
  }

  /** The statement an expression builds. */
  evaluate(node: Node): StaticValue {
    return this.#value(node, new Map(), 0);
  }

  /** The statement a function returns (an arrow's body, or its one `return`). */
  returned(fn: Node): StaticValue {
    return this.#returned(fn, new Map(), 0);
  }

  #value(node: Node, scope: Scope, depth: number): StaticValue {
    if (depth > maxDepth) return unresolved(node, 'it nests too deeply to follow');
    const expression = unwrap(node);
    if (Node.isTaggedTemplateExpression(expression) && this.#symbols.roleOf(declarationOf(expression.getTag())) === 'sql') {
      return this.#template(expression.getTemplate(), scope, depth);
    }
    if (Node.isIdentifier(expression)) {
      const declaration = declarationOf(expression);
      if (declaration !== undefined) {
        const dep = this.#deps.get(declaration.compilerNode);
        if (dep !== undefined) return { kind: 'table', asset: dep };
        const bound = scope.get(declaration.compilerNode);
        if (bound !== undefined) return this.#value(bound.expression, bound.scope, depth + 1);
        if (Node.isVariableDeclaration(declaration) && this.#isProjectNode(declaration) && isConst(declaration)) {
          const initializer = declaration.getInitializer();
          if (initializer !== undefined) return this.#value(initializer, scope, depth + 1);
        }
      }
    }
    if (Node.isPropertyAccessExpression(expression)) {
      const role = this.#symbols.roleOf(declarationOf(expression.getNameNode()));
      if (role === 'outputTable') return { kind: 'output' };
      if (role === 'partition') return this.#value(expression.getExpression(), scope, depth + 1);
    }
    if (Node.isCallExpression(expression)) {
      const called = this.#call(expression, scope, depth);
      if (called !== undefined) return called;
    }
    if (this.#symbols.isSqlTyped(expression)) {
      return unresolved(expression, `\`${abbreviate(expression.getText())}\` is SQL made at run time`);
    }
    return { kind: 'literal' };
  }

  #call(call: Node & { getExpression(): Node; getArguments(): Node[] }, scope: Scope, depth: number): StaticValue | undefined {
    const callee = declarationOf(call.getExpression());
    if (this.#symbols.roleOf(callee) === 'identifier') {
      const parts = call.getArguments().map((argument) => (Node.isStringLiteral(argument) ? argument.getLiteralValue() : null));
      if (parts.some((part) => part === null)) return unresolved(call, `\`${abbreviate(call.getText())}\` names a table only known at run time`);
      return { kind: 'sql', pieces: [{ text: parts.map((part) => `"${part!.replaceAll('"', '""')}"`).join('.'), origin: call, offset: 0 }] };
    }
    const fn = functionOf(callee);
    if (fn === undefined || !this.#isProjectNode(fn) || !hasParameters(fn)) return undefined;
    const inner = new Map(scope);
    const args = call.getArguments();
    fn.getParameters().forEach((parameter, index) => {
      const argument = args[index] ?? parameter.getInitializer();
      if (argument !== undefined) inner.set(parameter.compilerNode, { expression: argument, scope: args[index] === undefined ? inner : scope });
    });
    return this.#returned(fn, inner, depth + 1);
  }

  #returned(fn: Node, scope: Scope, depth: number): StaticValue {
    if (Node.isArrowFunction(fn)) {
      const body = fn.getBody();
      if (!Node.isBlock(body)) return this.#value(body, scope, depth);
    }
    const returns = fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((statement) => statement.getParentWhile((parent) => parent !== fn && !isFunctionLike(parent))?.getParent() === fn);
    const [only] = returns;
    if (returns.length !== 1 || only?.getExpression() === undefined) {
      return unresolved(fn, `${describeFunction(fn)} returns different SQL on different paths`);
    }
    return this.#value(only.getExpression()!, scope, depth);
  }

  #template(template: Node, scope: Scope, depth: number): StaticValue {
    if (Node.isNoSubstitutionTemplateLiteral(template)) return { kind: 'sql', pieces: [{ text: template.getLiteralValue(), origin: template, offset: 1 }] };
    if (!Node.isTemplateExpression(template)) return unresolved(template, 'the template cannot be read');
    const head = template.getHead();
    const pieces: SqlPiece[] = [{ text: head.getLiteralText(), origin: head, offset: 1 }];
    for (const span of template.getTemplateSpans()) {
      const expression = span.getExpression();
      const value = this.#value(expression, scope, depth + 1);
      switch (value.kind) {
        case 'unresolved':
          return value;
        case 'sql':
          pieces.push(...value.pieces);
          break;
        case 'table':
          pieces.push({ text: `"${value.asset}"`, origin: expression, offset: 0 });
          break;
        case 'output':
          pieces.push({ text: `"${outputTableName}"`, origin: expression, offset: 0 });
          break;
        case 'literal':
          pieces.push({ text: 'NULL', origin: expression, offset: 0 });
          break;
      }
      const literal = span.getLiteral();
      pieces.push({ text: literal.getLiteralText(), origin: literal, offset: 1 });
    }
    return { kind: 'sql', pieces };
  }
}

/** The SQL text of resolved pieces. */
export function sqlText(pieces: readonly SqlPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/** The source node and position a character of the SQL text comes from. */
export function sourcePosition(pieces: readonly SqlPiece[], offset: number): { node: Node; position: number } {
  let start = 0;
  for (const piece of pieces) {
    if (offset < start + piece.text.length) {
      const within = piece.offset === 0 ? 0 : offset - start;
      return { node: piece.origin, position: piece.origin.getStart() + piece.offset + within };
    }
    start += piece.text.length;
  }
  const last = pieces.at(-1)!;
  return { node: last.origin, position: last.origin.getStart() };
}

function unresolved(node: Node, reason: string): StaticValue {
  return { kind: 'unresolved', reason, node };
}

function unwrap(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current) || Node.isSatisfiesExpression(current)) {
    current = current.getExpression();
  }
  return current;
}

function isConst(declaration: Node): boolean {
  const list = declaration.getParent();
  return Node.isVariableDeclarationList(list) && list.getDeclarationKind() === 'const';
}

function isFunctionLike(node: Node): boolean {
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node);
}

function hasParameters(fn: Node): fn is Node & { getParameters(): import('ts-morph').ParameterDeclaration[] } {
  return isFunctionLike(fn);
}

function describeFunction(fn: Node): string {
  const name = Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) ? fn.getName() : undefined;
  return name === undefined ? 'the function' : `${name}()`;
}

function abbreviate(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
