// @ts-check
/**
 * duckdag's own TypeScript (`core/` and `storage/`) compiled to JavaScript once, with esbuild, and
 * kept until a source file or an installed package changes: Node then loads plain JavaScript, with
 * no TypeScript loader to start (on Node 20 that loader alone costs ~0.2 s per command). The npm
 * packages it uses are compiled in too (see `compileOptions`).
 *
 * Every source file is an entry point of one split build, so a module has one instance however it
 * is reached: through the CLI, or through a project config importing `core/index.ts` (see
 * `compiled-config.js`, which points such imports here).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDirOf, sourceKey, storeBuild } from './build-cache.js';
import { compileOptions } from './compile-options.js';

/** duckdag's installation folder. */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const sourceDirs = ['core', 'storage'];
const binDir = fileURLToPath(new URL('.', import.meta.url));
/** npm's record of what is installed, so that an upgraded package gets compiled in. */
const installedPackages = ['node_modules/.package-lock.json', 'package-lock.json'].map((path) => join(packageRoot, path));

/**
 * @typedef {object} CompiledFramework
 * @property {string} key what the build was compiled from (see `sourceKey`)
 * @property {(sourcePath: string) => string | undefined} moduleUrl the compiled module of a source file, if it is part of the framework
 */

/** The framework's compiled build, compiled now if the sources changed since the last one. */
export async function compiledFramework() {
  const sources = frameworkSources();
  const buildFiles = [...readdirSync(binDir).map((name) => join(binDir, name)), ...installedPackages.filter((path) => existsSync(path))];
  const key = sourceKey(packageRoot, [...sources, ...buildFiles]);
  if (key === undefined) throw new Error('duckdag source files changed while duckdag was starting; run the command again');
  const cacheDir = cacheDirOf(packageRoot);
  const name = `framework-${key}`;
  const dir = join(cacheDir, name);
  if (!existsSync(dir)) await storeBuild(cacheDir, 'framework-', (tempDir) => build(sources, tempDir).then(() => name));
  const sourceSet = new Set(sources);
  /** @type {CompiledFramework} */
  const framework = {
    key,
    moduleUrl: (sourcePath) => (sourceSet.has(sourcePath) ? pathToFileURL(join(dir, relative(packageRoot, sourcePath).replace(/\.ts$/, '.js'))).href : undefined),
  };
  return framework;
}

/** Every TypeScript file under `core/` and `storage/`. */
function frameworkSources() {
  return sourceDirs.flatMap((sourceDir) =>
    readdirSync(join(packageRoot, sourceDir), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
      .map((path) => join(packageRoot, sourceDir, path)),
  );
}

/**
 * @param {readonly string[]} sources
 * @param {string} outdir
 */
async function build(sources, outdir) {
  const esbuild = await import('esbuild');
  await esbuild.build({ ...compileOptions(new Map(), 'bundle'), entryPoints: [...sources], outbase: packageRoot, outdir });
}
