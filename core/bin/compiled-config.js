// @ts-check
/**
 * A project config compiled to JavaScript: the config and the files it imports (assets, queries…)
 * bundled into one build kept beside the project, with every import of a framework file pointed at
 * the compiled framework, so the project and the CLI share its modules. Rebuilt when the framework
 * build, the project's tsconfig.json or any file the last build read changes.
 */
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDirOf, fileStamp, freshBuild, storeBuild } from './build-cache.js';
import { compileOptions } from './compile-options.js';

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
  const cacheDir = cacheDirOf(projectDir);
  const name = `config-${basename(configPath)}`;
  const tsconfig = join(projectDir, 'tsconfig.json');
  const dir =
    freshBuild(cacheDir, name, { requires: framework.build }) ??
    (await storeBuild(
      cacheDir,
      name,
      async (outdir) => {
        const tsconfigStamp = fileStamp(tsconfig);
        /** @type {import('./build-cache.js').FileStamp[]} */
        const loaded = [];
        const options = compileOptions(loaded, 'external', projectDir);
        const esbuild = await import('esbuild');
        await esbuild.build({
          ...options,
          entryPoints: { config: configPath },
          outdir,
          plugins: [frameworkImports(framework), ...(options.plugins ?? [])],
        });
        return tsconfigStamp === undefined ? loaded : [tsconfigStamp, ...loaded];
      },
      { requires: framework.build },
    ));
  return join(dir, 'config.js');
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
      build.onResolve({ filter: /.*/ }, ({ path, resolveDir }) => {
        const file = path.startsWith('file:') ? fileURLToPath(path) : path.startsWith('.') || isAbsolute(path) ? resolve(resolveDir, path) : undefined;
        const url = file === undefined ? undefined : framework.moduleUrl(file);
        return url === undefined ? undefined : { path: url, external: true };
      });
    },
  };
}
