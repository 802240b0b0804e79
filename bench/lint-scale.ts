/**
 * Scenario 6: `duckdag lint`, cold (no cached analysis), on this project and on a generated
 * project of 1,000 SQL and table assets in 50 files whose SQL is partly built by helpers in other
 * files, each against ts-morph merely loading the same project's files (the floor of any analysis).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckdagBin, repoRoot, type BenchContext, type BenchRow } from './bench-context.ts';
import { limitRow } from './limit-row.ts';
import { timeProcess } from './time-process.ts';

const assetsPerFile = 20;
/** Every this many assets, one declares a dependency it never reads: a warning lint must find. */
const unusedEvery = 100;

export async function lintScale(context: BenchContext): Promise<BenchRow[]> {
  const count = 1000;
  const generated = generatedProject(join(context.workDir, 'lint-1000'), count);
  const loadScript = join(context.workDir, 'ts-morph-load.mjs');
  writeFileSync(loadScript, tsMorphLoad);
  const cases = [
    { name: 'duckdag lint (pipeline), cold', config: join(repoRoot, 'pipeline.config.ts'), cwd: repoRoot, files: ['pipeline.config.ts', 'assets/**/*.ts'], limitMs: 3000, expectedWarnings: null },
    { name: 'duckdag lint, 1,000 assets in 50 files, cold', config: generated, cwd: join(context.workDir, 'lint-1000'), files: ['duckdag.config.ts', 'assets/*.ts', 'helpers/*.ts'], limitMs: 20_000, expectedWarnings: count / unusedEvery },
  ];
  const rows: BenchRow[] = [];
  for (const { name, config, cwd, files, limitMs, expectedWarnings } of cases) {
    const lint: number[] = [];
    const load: number[] = [];
    for (let run = 0; run < context.runs + 1; run += 1) {
      forgetAnalysis(cwd);
      const linted = await timeProcess(process.execPath, [duckdagBin, 'lint', '--json', '--config', config], { cwd });
      const loaded = await timeProcess(process.execPath, [loadScript, ...files], { cwd });
      if (run === 0) {
        const { warnings, errors } = JSON.parse(linted.stdout) as { warnings: number; errors: number };
        context.log(`  ${name}: ${errors} errors, ${warnings} warnings`);
        if (expectedWarnings !== null && warnings !== expectedWarnings) throw new Error(`${name}: expected ${expectedWarnings} unused-dependency warnings, got ${warnings}`);
        continue;
      }
      lint.push(linted.wallMs);
      load.push(loaded.wallMs);
      context.log(`  ${name}, run ${run}: lint ${Math.round(linted.wallMs)} ms, ts-morph load ${Math.round(loaded.wallMs)} ms`);
    }
    rows.push(limitRow({ scenario: 'lint', case: name, times: lint, baseline: 'ts-morph loading the same files', baselineTimes: load, limitMs }));
  }
  return rows;
}

/** Removes the cached analyses of the project in `dir`, so that lint analyses it afresh. */
function forgetAnalysis(dir: string): void {
  const cache = join(dir, 'node_modules', '.cache', 'duckdag');
  let names: string[] = [];
  try {
    names = readdirSync(cache);
  } catch {
    return;
  }
  for (const name of names.filter((one) => one.startsWith('analysis-'))) rmSync(join(cache, name), { force: true });
}

/** The baseline: load ts-morph and parse the files matched by the arguments (globs), as a project. */
const tsMorphLoad = `import { createRequire } from 'node:module';
const { Project } = createRequire(${JSON.stringify(join(repoRoot, 'package.json'))})('ts-morph');
const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { noLib: true, noResolve: true, types: [] } });
project.addSourceFilesAtPaths(process.argv.slice(2));
console.log(project.getSourceFiles().length);
`;

/**
 * Writes a project of `count` assets into `dir` and returns its config: `assets/part-NN.ts` files
 * of 20 assets each, every asset reading one or two earlier ones, in four styles (SQL
 * with CTEs written in place, SQL from a helper in `helpers/`, a join built by a helper, a table
 * asset sending its statement), and the config importing every part.
 */
function generatedProject(dir: string, count: number): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'helpers'), { recursive: true });
  const duckdag = JSON.stringify(join(repoRoot, 'core/index.ts'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "allowImportingTsExtensions": true, "noEmit": true, "strict": true } }\n');
  writeFileSync(
    join(dir, 'helpers', 'ranking.ts'),
    `import { sql, type Sql, type TableRef } from ${duckdag};
/** The \`limit\` rows of \`table\` with the highest n. */
export function topRows(table: TableRef, limit: number): Sql {
  return sql\`SELECT n, k FROM \${table} ORDER BY n DESC LIMIT \${limit}\`;
}
`,
  );
  writeFileSync(
    join(dir, 'helpers', 'joins.ts'),
    `import { sql, type Sql, type TableRef } from ${duckdag};
import { keyed } from './keys.ts';
/** Rows of \`left\` and \`right\` with the same k, their n added. */
export function joined(left: TableRef, right: TableRef): Sql {
  return sql\`WITH l AS (\${keyed(left)}), r AS (\${keyed(right)}) SELECT l.n + r.n AS n, l.k FROM l JOIN r USING (k)\`;
}
`,
  );
  writeFileSync(
    join(dir, 'helpers', 'keys.ts'),
    `import { sql, type Sql, type TableRef } from ${duckdag};
/** \`table\`'s rows with a key. */
export function keyed(table: TableRef): Sql {
  return sql\`SELECT n, k FROM \${table} WHERE k IS NOT NULL\`;
}
`,
  );
  const files = Math.ceil(count / assetsPerFile);
  const fileOf = (i: number) => `part-${String(Math.floor(i / assetsPerFile)).padStart(2, '0')}`;
  for (let file = 0; file < files; file += 1) {
    const lines: string[] = [];
    const imports = new Map<string, Set<string>>();
    for (let i = file * assetsPerFile; i < Math.min(count, (file + 1) * assetsPerFile); i += 1) {
      const ups = i === 0 ? [] : i % 4 === 2 && i > 1 ? [i - 1, Math.floor(i / 2)] : [i - 1 - (i % 7 === 0 ? Math.floor(i / 3) : 0)];
      const unused = i % unusedEvery === 50 ? [Math.floor(i / 5)] : [];
      for (const up of [...ups, ...unused].filter((one) => fileOf(one) !== fileOf(i))) {
        if (!imports.has(fileOf(up))) imports.set(fileOf(up), new Set());
        imports.get(fileOf(up))!.add(`a_${up}`);
      }
      const deps = [...ups.map((up, index) => `up${index}: a_${up}`), ...unused.map((up) => `spare: a_${up}`)].join(', ');
      const inputs = ups.map((_, index) => `up${index}`).join(', ');
      if (ups.length === 0) {
        lines.push(`export const a_${i} = sqlAsset({ name: 'a_${i}', query: () => sql\`SELECT range AS n, range % 7 AS k FROM range(100)\` });`);
      } else if (i % 4 === 0) {
        lines.push(`export const a_${i} = sqlAsset({
  name: 'a_${i}',
  deps: { ${deps} },
  query: ({ ${inputs} }) => sql\`
    WITH recent AS (SELECT n, k FROM \${up0} WHERE n > ${i % 10}), counted AS (SELECT k, count(*) AS c FROM recent GROUP BY ALL)
    SELECT r.n, r.k FROM recent r JOIN counted USING (k) QUALIFY row_number() OVER (PARTITION BY r.k ORDER BY r.n) <= 5\`,
});`);
      } else if (i % 4 === 1) {
        lines.push(`export const a_${i} = sqlAsset({ name: 'a_${i}', deps: { ${deps} }, query: ({ ${inputs} }) => topRows(up0, ${i % 50}) });`);
      } else if (i % 4 === 2 && ups.length === 2) {
        lines.push(`export const a_${i} = sqlAsset({ name: 'a_${i}', deps: { ${deps} }, query: ({ ${inputs} }) => joined(up0, up1) });`);
      } else {
        lines.push(`export const a_${i} = tableAsset({
  name: 'a_${i}',
  deps: { ${deps} },
  materialize: async ({ ${inputs} }, context) => {
    await context.output.createAs(sql\`SELECT * EXCLUDE (k), (k + 1) % 7 AS k FROM \${up0}\`);
  },
});`);
      }
    }
    const header = [
      `import { sql, sqlAsset, tableAsset } from ${duckdag};`,
      `import { topRows } from '../helpers/ranking.ts';`,
      `import { joined } from '../helpers/joins.ts';`,
      ...[...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from './${from}.ts';`),
      'void [sql, sqlAsset, tableAsset, topRows, joined];',
    ];
    writeFileSync(join(dir, 'assets', `part-${String(file).padStart(2, '0')}.ts`), `${header.join('\n')}\n\n${lines.join('\n\n')}\n`);
  }
  const parts = Array.from({ length: files }, (_, file) => `part${String(file).padStart(2, '0')}`);
  writeFileSync(
    join(dir, 'duckdag.config.ts'),
    `import { defineConfig } from ${duckdag};
${parts.map((part) => `import * as ${part} from './assets/${part.replace('part', 'part-')}.ts';`).join('\n')}

export default defineConfig({ assets: [${parts.map((part) => `...Object.values(${part})`).join(', ')}] });
`,
  );
  return join(dir, 'duckdag.config.ts');
}
