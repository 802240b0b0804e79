// @ts-check
/**
 * A project config compiled to JavaScript: the config and the files it imports (assets, queries…)
 * bundled into one build kept beside the project, with every import of a framework file pointed at
 * the compiled framework, so the project and the CLI share its modules. Rebuilt when the framework
 * or any file the last build loaded changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDirOf, contentKey, sourceKey, storeBuild } from './build-cache.js';
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
  const configId = createHash('sha256').update(configPath).digest('hex').slice(0, 12);
  const prefix = `config-${configId}-`;
  // Lists the files the latest build loaded; outside the `prefix` namespace so it is never pruned.
  const inputsPath = join(cacheDir, `config-${configId}.json`);
  const inputs = readInputs(inputsPath);
  const key = inputs && sourceKey(projectDir, inputs, [framework.key]);
  if (key !== undefined && existsSync(join(cacheDir, prefix + key))) return join(cacheDir, prefix + key, 'config.js');

  /** @type {Map<string, string | Buffer>} */
  const loaded = new Map();
  const dir = await storeBuild(cacheDir, prefix, async (tempDir) => {
    const esbuild = await import('esbuild');
    const options = compileOptions(loaded, 'external');
    await esbuild.build({
      ...options,
      entryPoints: { config: configPath },
      outdir: tempDir,
      plugins: [frameworkImports(framework), ...(options.plugins ?? [])],
    });
    return prefix + contentKey(projectDir, loaded, [framework.key]);
  });
  writeInputs(inputsPath, [...loaded.keys()]);
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
      build.onResolve({ filter: /^(\.|\/|file:)/ }, ({ path, resolveDir }) => {
        const url = framework.moduleUrl(path.startsWith('file:') ? fileURLToPath(path) : resolve(resolveDir, path));
        return url === undefined ? undefined : { path: url, external: true };
      });
    },
  };
}

/**
 * @param {string} path
 * @returns {string[] | undefined}
 */
function readInputs(path) {
  try {
    const inputs = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(inputs) ? inputs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {string} path
 * @param {readonly string[]} inputs
 */
function writeInputs(path, inputs) {
  const tempPath = `${path}.${process.pid}.tmp`;
  writeFileSync(tempPath, JSON.stringify(inputs));
  renameSync(tempPath, path);
}
