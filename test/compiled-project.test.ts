import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { coreIndex, fixtureProject, repoRoot, type FixtureProject } from './support/fixture-project.ts';
import { tempDir } from './support/temp-dir.ts';

const core = JSON.stringify(coreIndex);

/** A project whose one value asset returns what `answer.ts` exports. */
const answerProject = (t: Parameters<typeof fixtureProject>[0], answer: string) =>
  fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig, valueAsset } from ${core};
import { answer } from './answer.ts';
export default defineConfig({ assets: [valueAsset({ name: 'answer', compute: () => answer })] });
`,
    'answer.ts': `export const answer: string = ${JSON.stringify(answer)};\n`,
  });

async function storedAnswer(project: FixtureProject): Promise<string> {
  const run = await project.run(['query', 'SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values', '--json']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(JSON.parse(run.stdout)[0].value);
}

const cacheDir = (project: FixtureProject) => join(project.dir, 'node_modules/.cache/duckdag');
/** The entries of the project's compile cache. */
const cached = (project: FixtureProject) => readdirSync(cacheDir(project));
/** The compiled builds of the project's config. */
const configBuilds = (project: FixtureProject) => cached(project).filter((name) => name.startsWith('config-duckdag.config.ts-'));

test('a file the config imports runs as edited on the next command', async (t) => {
  const project = answerProject(t, 'first');
  assert.equal((await project.run(['materialize'])).code, 0);
  assert.equal(await storedAnswer(project), 'first');
  writeFileSync(join(project.dir, 'answer.ts'), 'export const answer: string = "second";\n');
  assert.equal((await project.run(['materialize'])).code, 0);
  assert.equal(await storedAnswer(project), 'second');
});

test('the config shares the CLI\'s framework modules: an error class it throws is recognised as duckdag\'s', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { ConfigError } from ${core};
throw new ConfigError('DUCKDAG_CONFIG_INVALID', 'the config refuses to load');
`,
  });
  const run = await project.run(['list']);
  assert.equal(run.code, 2);
  // A second copy of the framework would make it an unknown error, reported as "cannot load config …".
  assert.equal(run.stderr, 'error: the config refuses to load\n');
});

test('each source file keeps its own import.meta.dirname and import.meta.url', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { join } from 'node:path';
import { defineConfig, valueAsset } from ${core};
import { whereAmI } from './lib/where.ts';
export default defineConfig({
  warehouse: join(import.meta.dirname, 'here.duckdb'),
  assets: [valueAsset({ name: 'where', compute: () => whereAmI })],
});
`,
    'lib/where.ts': 'export const whereAmI = { dirname: import.meta.dirname, url: import.meta.url, filename: import.meta.filename };\n',
  });
  assert.equal((await project.run(['materialize'])).code, 0);
  const run = await project.run(['query', 'SELECT CAST(value AS VARCHAR) AS value FROM duckdag.asset_values', '--json'], {
    env: { DUCKDAG_WAREHOUSE: join(project.dir, 'here.duckdb') },
  });
  assert.equal(run.code, 0, run.stderr);
  const where = JSON.parse(JSON.parse(run.stdout)[0].value);
  assert.deepEqual(where, {
    dirname: join(project.dir, 'lib'),
    url: `file://${join(project.dir, 'lib/where.ts')}`,
    filename: join(project.dir, 'lib/where.ts'),
  });
});

test('a syntax error in the config exits 2 naming the file, line and column', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig } from ${core};
export default defineConfig({ assets: [ });
`,
  });
  const run = await project.run(['list']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error: cannot load config .*duckdag\.config\.ts: .*duckdag\.config\.ts:2:40: ERROR: Unexpected "}"/s);
});

test('stack traces name the TypeScript file and line', async (t) => {
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import { defineConfig } from ${core};

console.error(new Error('where is this').stack);
export default defineConfig({ assets: [] });
`,
  });
  const run = await project.run(['list']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Error: where is this\n {4}at .*duckdag\.config\.ts:3:15\)/);
});

test('two commands compiling a project at once both run, and leave no half-written build', async (t) => {
  const project = answerProject(t, 'together');
  const runs = await Promise.all([project.run(['list', '--json']), project.run(['list', '--json'])]);
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const manifest = JSON.parse(readFileSync(join(cacheDir(project), 'config-duckdag.config.ts.json'), 'utf8'));
  assert.ok(configBuilds(project).includes(manifest.build));
  assert.deepEqual(cached(project).filter((name) => name.startsWith('building-') || name.endsWith('.tmp')), []);
});

test('an unchanged project is not compiled again', async (t) => {
  const project = answerProject(t, 'once');
  assert.equal((await project.run(['list'])).code, 0);
  const [build] = configBuilds(project);
  assert.equal((await project.run(['list'])).code, 0);
  assert.deepEqual(configBuilds(project), [build]);
});

test('a build a day old is removed when a newer one replaces it, a newer one is kept', async (t) => {
  const project = answerProject(t, 'old');
  assert.equal((await project.run(['list'])).code, 0);
  const [oldBuild] = configBuilds(project);
  mkdirSync(join(cacheDir(project), 'building-abandoned'));
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  utimesSync(join(cacheDir(project), oldBuild!), twoDaysAgo, twoDaysAgo);
  writeFileSync(join(project.dir, 'answer.ts'), 'export const answer: string = "new";\n');
  assert.equal((await project.run(['list'])).code, 0);
  assert.ok(!configBuilds(project).includes(oldBuild!), `${oldBuild} should be gone: ${cached(project).join(', ')}`);
  assert.equal(configBuilds(project).length, 1);
  assert.ok(cached(project).includes('building-abandoned'), 'a recent temporary folder may belong to a build in progress');
});

test('an edited framework source file takes effect on the next command', async (t) => {
  // A copy of duckdag with its own compile cache: the installed packages are linked one by one.
  const copy = tempDir(t, 'duckdag-copy-');
  for (const path of ['core', 'storage', 'package.json', 'tsconfig.json']) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
  mkdirSync(join(copy, 'node_modules'));
  for (const entry of readdirSync(join(repoRoot, 'node_modules')).filter((name) => name !== '.cache')) {
    symlinkSync(join(repoRoot, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  const help = () => spawnSync(process.execPath, [join(copy, 'core/bin/duckdag.js'), '--help'], { encoding: 'utf8' });
  assert.match(help().stdout, /Software-defined assets in TypeScript/);
  const main = join(copy, 'core/cli/main.ts');
  writeFileSync(main, readFileSync(main, 'utf8').replace('Software-defined assets in TypeScript', 'Edited usage line'));
  const edited = help();
  assert.equal(edited.status, 0, edited.stderr);
  assert.match(edited.stdout, /Edited usage line/);
});

