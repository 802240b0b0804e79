/**
 * ts-morph's runtime values, loaded with `require`. Imported as an ES module, Node would first scan
 * its CommonJS source for the names it exports, a quarter of a second of every analysis. Types
 * come from `import type … from 'ts-morph'` as usual.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const { ModuleKind, ModuleResolutionKind, Node, Project, SyntaxKind } = tsMorph;
export type Node = TsMorph.Node;
export type Project = TsMorph.Project;
