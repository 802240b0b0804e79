/**
 * Static analysis of a project with ts-morph: the project is loaded through its tsconfig.json from
 * its config file, every asset definition is found by the duckdag function it calls, its SQL is
 * worked out (`static-sql.ts`) and parsed by DuckDB, and what it reads is compared with what it
 * declares. Heavy (ts-morph and the TypeScript compiler): commands reach it through
 * `analysis-cache.ts`, which runs it only when a source file changed.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile, ts } from 'ts-morph';
import { ModuleKind, ModuleResolutionKind, Node, Project, SyntaxKind } from './ts-morph.ts';
import { SqlReadsParser, type ParsedReads, type TableRead } from '../../storage/sql-table-reads.ts';
import { findAssetDefinitions, type AssetDefinitionSite } from './asset-definitions.ts';
import { codeVersion } from './code-version.ts';
import { duckdagSymbols, type DuckdagSymbols } from './duckdag-symbols.ts';
import type { AnalyzedAsset, Finding, FindingSeverity, ProjectAnalysis, SourceLocation } from './project-analysis.ts';
import { outputTableName, sourcePosition, sqlText, StaticSqlEvaluator, type StaticValue } from './static-sql.ts';

/** duckdag's public entry point, whose exports define assets. */
const duckdagEntry = fileURLToPath(new URL('../index.ts', import.meta.url));
const frameworkDirs = ['core', 'storage'].map((dir) => fileURLToPath(new URL(`../../${dir}/`, import.meta.url)));
const kernelDir = fileURLToPath(new URL('../kernel/', import.meta.url));

/** Schemas a project may read without declaring them: duckdag's own history. */
const knownSchemas = new Set(['duckdag']);

export interface AnalysisRun {
  readonly analysis: ProjectAnalysis;
  /** Every file the analysis read, to stamp the cache with. */
  readonly inputs: readonly string[];
}

export async function analyzeProject(configPath: string): Promise<AnalysisRun> {
  const tsconfig = nearestTsconfig(dirname(configPath));
  // Only names are resolved, never types checked: the standard library, @types and installed
  // packages are not needed, and the files are added here rather than by the compiler's resolution.
  const lean = { noLib: true, noResolve: true, types: [] as string[] };
  const project =
    tsconfig === undefined
      ? new Project({
          skipFileDependencyResolution: true,
          compilerOptions: { ...lean, module: ModuleKind.NodeNext, moduleResolution: ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, allowJs: true, noEmit: true },
        })
      : new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: lean });
  addProjectFiles(project, configPath);
  const symbols = duckdagSymbols(project, duckdagEntry);
  const isProjectFile = (file: SourceFile) => {
    const path = file.getFilePath();
    return !path.includes(`${sep}node_modules${sep}`) && !frameworkDirs.some((dir) => path.startsWith(dir));
  };
  const files = project.getSourceFiles().filter(isProjectFile);
  const sites = findAssetDefinitions(files, symbols);
  const parser = await SqlReadsParser.open();
  try {
    const analysis = await new Analysis(symbols, sites, (node) => isProjectFile(node.getSourceFile()), parser).run();
    const inputs = project
      .getSourceFiles()
      .map((file) => file.getFilePath() as string)
      .filter((path) => !path.includes(`${sep}node_modules${sep}`));
    return { analysis, inputs: tsconfig === undefined ? inputs : [tsconfig, ...inputs] };
  } finally {
    parser.close();
  }
}

/**
 * The config and every project file it imports, followed through relative imports; and of duckdag,
 * its entry point and kernel, where the definitions the project's code refers to are declared.
 */
function addProjectFiles(project: Project, configPath: string): void {
  const pending = [configPath];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (project.getSourceFile(path) !== undefined) continue;
    const file = project.addSourceFileAtPath(path);
    for (const specifier of [...file.getImportDeclarations(), ...file.getExportDeclarations()].map((declaration) => declaration.getModuleSpecifierValue())) {
      if (specifier === undefined || !(specifier.startsWith('.') || isAbsolute(specifier))) continue;
      const target = resolve(dirname(path), specifier);
      if (existsSync(target) && !target.includes(`${sep}node_modules${sep}`) && !frameworkDirs.some((dir) => target.startsWith(dir))) pending.push(target);
    }
  }
  project.addSourceFileAtPathIfExists(duckdagEntry);
  project.addSourceFilesAtPaths(join(kernelDir, '*.ts'));
}

function nearestTsconfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** An asset whose statements are worked out, waiting for them to be parsed. */
interface PreparedAsset {
  readonly site: AssetDefinitionSite;
  readonly name: string;
  readonly statements: readonly StaticValue[];
  readonly declared: ReadonlySet<string>;
  /** The declared inputs its code uses; null when its code could not be read at all. */
  readonly usedKeys: ReadonlySet<string> | null;
}

class Analysis {
  readonly #symbols: DuckdagSymbols;
  readonly #sites: readonly AssetDefinitionSite[];
  readonly #isProjectNode: (node: Node) => boolean;
  readonly #parser: SqlReadsParser;
  readonly #assetNames: ReadonlySet<string>;
  readonly #findings: Finding[] = [];

  constructor(symbols: DuckdagSymbols, sites: readonly AssetDefinitionSite[], isProjectNode: (node: Node) => boolean, parser: SqlReadsParser) {
    this.#symbols = symbols;
    this.#sites = sites;
    this.#isProjectNode = isProjectNode;
    this.#parser = parser;
    this.#assetNames = new Set(sites.flatMap((site) => (site.name === null ? [] : [site.name])));
  }

  async run(): Promise<ProjectAnalysis> {
    const definitionNodes = new Set<ts.Node>(this.#sites.map((site) => site.call.compilerNode));
    const versionScope = {
      isProjectNode: this.#isProjectNode,
      isAssetDeclaration: (node: Node) => Node.isVariableDeclaration(node) && definitionNodes.has(node.getInitializer()?.compilerNode as ts.Node),
    };
    const prepared: PreparedAsset[] = [];
    for (const site of this.#sites) {
      if (site.name === null) {
        this.#report(site.call, 'warning', 'DUCKDAG_UNRESOLVED_ASSET', null, 'the asset name is computed at run time: its SQL and code version cannot be checked');
        continue;
      }
      prepared.push(this.#prepare(site, site.name));
    }
    // DuckDB parses every statement of the project in one batch (a query each costs a round trip).
    const texts = [...new Set(prepared.flatMap(({ statements }) => statements.flatMap((statement) => (statement.kind === 'sql' ? [sqlText(statement.pieces)] : []))))];
    const results = await this.#parser.parse(texts);
    const parsed = new Map(texts.map((text, index) => [text, results[index]!]));
    const assets = prepared.map((asset): AnalyzedAsset => {
      const reads = this.#checkReads(asset, (text) => parsed.get(text)!);
      return { name: asset.name, location: locationOf(asset.site.call), codeVersion: codeVersion(asset.site.call, versionScope), reads: [...reads].sort() };
    });
    const findings = this.#findings.sort(
      (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column,
    );
    return { assets, findings };
  }

  /** Works out the statements the asset sends, and which of its declared inputs its code uses. */
  #prepare(site: AssetDefinitionSite, name: string): PreparedAsset {
    const code = site.code;
    const declared = new Map(site.deps.flatMap((dep) => (dep.asset === null ? [] : [[dep.key, dep.asset] as const])));
    const usedKeys = new Set<string>();
    if (code === undefined) {
      this.#report(site.call, 'warning', 'DUCKDAG_UNRESOLVED_SQL', name, `${name}: its code is not a function written in the project; its reads are not checked`);
      return { site, name, statements: [], declared: new Set(declared.values()), usedKeys: null };
    }
    const parameters = 'getParameters' in code ? (code as unknown as { getParameters(): Node[] }).getParameters() : [];
    const inputs = parameters[0];
    const bindings = new Map<ts.Node, string>();
    if (Node.isParameterDeclaration(inputs)) {
      const pattern = inputs.getNameNode();
      if (Node.isObjectBindingPattern(pattern)) {
        for (const element of pattern.getElements()) {
          const key = element.getPropertyNameNode()?.getText() ?? element.getName();
          const asset = declared.get(key);
          if (asset !== undefined) bindings.set(element.compilerNode, asset);
          if (referencedWithin(code, element)) usedKeys.add(key);
        }
      } else if (referencedWithin(code, inputs)) {
        for (const key of declared.keys()) usedKeys.add(key);
      }
    }
    const evaluator = new StaticSqlEvaluator(this.#symbols, this.#isProjectNode, bindings);
    const statements: StaticValue[] =
      site.definer === 'sqlAsset' ? [evaluator.returned(code)] : this.#statementArguments(code).map((argument) => evaluator.evaluate(argument));
    return { site, name, statements, declared: new Set(declared.values()), usedKeys };
  }

  /** Reports the asset's undeclared, unknown and unused tables from its parsed statements. */
  #checkReads({ site, name, statements, declared, usedKeys }: PreparedAsset, parsedOf: (text: string) => ParsedReads): Set<string> {
    const reads = new Set<string>();
    if (usedKeys === null) return reads;
    for (const statement of statements) {
      if (statement.kind === 'unresolved') {
        this.#report(statement.node, 'warning', 'DUCKDAG_UNRESOLVED_SQL', name, `${name}: cannot follow its SQL statically (${statement.reason}); its reads are not checked`);
        continue;
      }
      if (statement.kind !== 'sql') continue;
      const parsed = parsedOf(sqlText(statement.pieces));
      if (!parsed.ok) {
        const onlySelect = /only SELECT/i.test(parsed.error);
        this.#report(
          statement.pieces[0]!.origin,
          onlySelect ? 'warning' : 'error',
          onlySelect ? 'DUCKDAG_UNRESOLVED_SQL' : 'DUCKDAG_SQL_SYNTAX',
          name,
          onlySelect ? `${name}: only SELECT statements can be analysed; this one's reads are not checked` : `${name}: its SQL does not parse: ${parsed.error}`,
        );
        continue;
      }
      for (const table of parsed.tables) this.#checkTable(name, table, statement.pieces, declared, reads);
    }
    for (const dep of site.deps) {
      if (dep.asset !== null && !usedKeys.has(dep.key) && !reads.has(dep.asset)) {
        this.#report(dep.node, 'warning', 'DUCKDAG_UNUSED_DEP', name, `${name} declares ${dep.asset} but never reads it`);
      }
    }
    return reads;
  }

  #checkTable(name: string, table: TableRead, pieces: Parameters<typeof sourcePosition>[0], declared: ReadonlySet<string>, reads: Set<string>): void {
    const inWarehouse = (table.catalog === '' || table.catalog === 'warehouse') && (table.schema === '' || table.schema === 'main');
    if (inWarehouse && (table.table === outputTableName || table.table === name)) return;
    if (!inWarehouse && knownSchemas.has(table.schema)) return;
    if (inWarehouse) {
      reads.add(table.table);
      if (declared.has(table.table)) return;
    }
    const at = sourcePosition(pieces, table.offset ?? 0);
    const location = locationAt(at.node.getSourceFile(), at.position);
    const qualified = [table.catalog, table.schema, table.table].filter((part) => part !== '').join('.');
    if (inWarehouse && this.#assetNames.has(table.table)) {
      this.#findings.push({ location, severity: 'error', code: 'DUCKDAG_UNDECLARED_DEP', asset: name, message: `${name} reads ${table.table} but does not declare it` });
    } else {
      this.#findings.push({ location, severity: 'error', code: 'DUCKDAG_UNKNOWN_TABLE', asset: name, message: `${name} reads ${qualified}, which is no asset of the project` });
    }
  }

  /** The statements a table or value asset's code sends: arguments of createAs, query and execute. */
  #statementArguments(code: Node): Node[] {
    return code.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) return [];
      const declaration = callee.getNameNode().getSymbol()?.getDeclarations()[0];
      const [statement] = call.getArguments();
      return this.#symbols.roleOf(declaration) === 'statement' && statement !== undefined ? [statement] : [];
    });
  }

  #report(node: Node, severity: FindingSeverity, code: string, asset: string | null, message: string): void {
    this.#findings.push({ location: locationOf(node), severity, code, asset, message });
  }
}

/** Whether a parameter or binding is used anywhere in the function besides its declaration. */
function referencedWithin(fn: Node, declaration: Node): boolean {
  const nameNode = (declaration as unknown as { getNameNode(): Node }).getNameNode();
  return fn
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some((identifier) => identifier !== nameNode && identifier.getText() === nameNode.getText() && identifier.getSymbol()?.getDeclarations().some((found) => found === declaration) === true);
}

function locationOf(node: Node): SourceLocation {
  return locationAt(node.getSourceFile(), node.getStart());
}

function locationAt(file: SourceFile, position: number): SourceLocation {
  const { line, column } = file.getLineAndColumnAtPos(position);
  return { file: file.getFilePath(), line, column };
}
