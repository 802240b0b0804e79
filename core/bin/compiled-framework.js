// @ts-check
/**
 * duckdag's own TypeScript (`core/` and `storage/`) compiled to JavaScript once, with esbuild, and
 * kept until a source file or a bundled package changes: Node then loads plain JavaScript, with no
 * TypeScript loader to start (on Node 20 that loader alone costs ~0.2 s per command). The npm
 * packages it uses are compiled in too (see `compileOptions` in compiler.js).
 *
 * Every source file is an entry point of one split build, so a module has one instance however it
 * is reached: through the CLI, or through a project config importing `core/index.ts` (see
 * `compiled-config.js`, which points such imports here).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDirOf } from './build-cache.js';
import { compiledBuild, compiledExtension } from './compiler.js';

/** duckdag's installation folder. */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const sourceDirs = ['core', 'storage'];
const binDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * @typedef {object} CompiledFramework
 * @property {string} build the build's folder, which a config compiled against it records
 * @property {(sourcePath: string) => string | undefined} moduleUrl the compiled module of a source file, if it is part of the framework
 */

/**
 * The framework's compiled build, compiled now if it is missing or stale.
 * @returns {Promise<CompiledFramework>}
 */
export async function compiledFramework() {
  const sources = frameworkSources();
  const dir = await compiledBuild({
    cacheDir: cacheDirOf(packageRoot),
    name: 'framework',
    root: packageRoot,
    packages: 'bundle',
    // Stale also when this folder's build scripts, the TypeScript settings or the installed packages
    // (npm's record of installs stands for them) change, or a source file is added.
    settings: [
      ...readdirSync(binDir).map((name) => join(binDir, name)),
      ...['tsconfig.json', 'node_modules/.package-lock.json', 'package-lock.json'].map((path) => join(packageRoot, path)),
    ],
    mustInclude: sources,
    // No source maps: Node would read and parse one for each of its modules on every command
    // (tens of milliseconds), for stack traces that rarely reach a user; its JavaScript keeps every name.
    options: { entryPoints: sources, outbase: packageRoot, sourcemap: false },
  });
  const sourceSet = new Set(sources);
  return {
    build: dir,
    moduleUrl: (sourcePath) => (sourceSet.has(sourcePath) ? pathToFileURL(join(dir, relative(packageRoot, sourcePath).replace(/\.ts$/, compiledExtension))).href : undefined),
  };
}

/** Every TypeScript file under `core/` and `storage/`. */
function frameworkSources() {
  return sourceDirs.flatMap((sourceDir) =>
    readdirSync(join(packageRoot, sourceDir), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
      .map((path) => join(packageRoot, sourceDir, path)),
  );
}
