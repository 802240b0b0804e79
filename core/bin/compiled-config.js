// @ts-check
/**
 * A project config compiled to JavaScript: the config and the files it imports (assets, queries…)
 * bundled into one build kept beside the project, with every import of a framework file pointed at
 * the compiled framework, so the project and the CLI share its modules. Rebuilt when the framework
 * build, the project's tsconfig.json or any file the last build read changes.
 */
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDirOf } from './build-cache.js';
import { compiledBuild, compiledExtension } from './compiler.js';

/**
 * The importer the CLI loads configs with: compiles the config at `configPath` if needed and imports it.
 * @param {import('./compiled-framework.js').CompiledFramework} framework
 * @returns {(configPath: string) => Promise<unknown>}
 */
export function compiledConfigImporter(framework) {
  return async (configPath) => import(pathToFileURL(await compiledConfig(configPath, framework)).href);
}

/**
 * The compiled config's path.
 * @param {string} configPath
 * @param {import('./compiled-framework.js').CompiledFramework} framework
 */
async function compiledConfig(configPath, framework) {
  const projectDir = dirname(configPath);
  const dir = await compiledBuild({
    cacheDir: cacheDirOf(projectDir),
    name: `config-${basename(configPath)}`,
    root: projectDir,
    packages: 'external',
    settings: [join(projectDir, 'tsconfig.json')],
    requires: framework.build,
    options: { entryPoints: { config: configPath }, plugins: [frameworkImports(framework)] },
  });
  return join(dir, `config${compiledExtension}`);
}

/**
 * Imports of framework source files become imports of the compiled framework.
 * @param {import('./compiled-framework.js').CompiledFramework} framework
 * @returns {import('esbuild').Plugin}
 */
function frameworkImports(framework) {
  return {
    name: 'duckdag-framework-imports',
    setup(build) {
      // `duckdag` and `duckdag/…`, resolved by Node's rules through the package's exports (from a
      // project that installed it, or from the package itself).
      build.onResolve({ filter: /^duckdag(\/.*)?$/ }, ({ path, resolveDir }) => {
        let file;
        try {
          file = createRequire(join(resolveDir, 'index.js')).resolve(path);
        } catch {
          return undefined;
        }
        const url = framework.moduleUrl(file);
        return url === undefined ? undefined : { path: url, external: true };
      });
      build.onResolve({ filter: /.*/ }, ({ path, resolveDir }) => {
        const file = path.startsWith('file:') ? fileURLToPath(path) : path.startsWith('.') || isAbsolute(path) ? resolve(resolveDir, path) : undefined;
        const url = file === undefined ? undefined : framework.moduleUrl(file);
        return url === undefined ? undefined : { path: url, external: true };
      });
    },
  };
}
