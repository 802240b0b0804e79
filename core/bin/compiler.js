// @ts-check
/**
 * How duckdag compiles TypeScript to JavaScript with esbuild: split ES modules, each source file
 * keeping its own `import.meta` values, npm packages either bundled in or left to Node, and the
 * result kept in the build cache (`build-cache.js`) until what it was compiled from changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileStamp, freshBuild, storeBuild } from './build-cache.js';

/** @type {Readonly<Record<string, import('esbuild').Loader>>} */
const loaders = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

const metaNames = { url: '__duckdag_import_meta_url', dirname: '__duckdag_import_meta_dirname', filename: '__duckdag_import_meta_filename' };

/**
 * Packages never bundled: native code has to be loaded by Node from its own folder, and ts-morph
 * (with the TypeScript compiler, one large file already) is loaded only by static analysis.
 */
const unbundledPackages = ['@duckdb/node-bindings', 'ts-morph'];

/** The extension of compiled modules. */
export const compiledExtension = '.mjs';

/** Builds in progress in this process. */
let building = 0;

/** Bundled CommonJS code calls `require`, which an ES module must be given. */
const requireBanner = "import { createRequire as __duckdagCreateRequire } from 'node:module'; const require = __duckdagCreateRequire(import.meta.url);";

/**
 * The folder of build `name` in `cacheDir`, compiled now unless a fresh one is there. Stale too when
 * one of `settings` changes or appears (files that shape the output without being compiled: build
 * scripts, tsconfig.json, npm's record of installs) or one of `mustInclude` was not compiled.
 * @param {object} build
 * @param {string} build.cacheDir
 * @param {string} build.name
 * @param {string} build.root the folder of the project compiled
 * @param {'bundle' | 'external'} build.packages see `compileOptions`
 * @param {readonly string[]} build.settings
 * @param {readonly string[]} [build.mustInclude]
 * @param {string} [build.requires] another build this one is compiled against
 * @param {import('esbuild').BuildOptions} build.options entry points and plugins of this build
 * @returns {Promise<string>}
 */
export async function compiledBuild({ cacheDir, name, root, packages, settings, mustInclude = [], requires = '', options }) {
  const presentSettings = settings.filter((path) => existsSync(path));
  return (
    freshBuild(cacheDir, name, { requires, mustInclude: [...mustInclude, ...presentSettings] }) ??
    storeBuild(
      cacheDir,
      name,
      async (outdir) => {
        /** @type {import('./build-cache.js').FileStamp[]} */
        const loaded = presentSettings.flatMap((path) => {
          const stamp = fileStamp(path);
          return stamp === undefined ? [] : [stamp];
        });
        const shared = compileOptions(loaded, packages, root);
        const esbuild = await import('esbuild');
        building += 1;
        try {
          await esbuild.build({ ...shared, ...options, outdir, plugins: [...(options.plugins ?? []), ...(shared.plugins ?? [])] });
        } finally {
          building -= 1;
          // esbuild's service process would otherwise live (some 15 MB) as long as this one, a `serve` for days.
          if (building === 0) await esbuild.stop();
        }
        return loaded;
      },
      { requires },
    )
  );
}

/**
 * The options every duckdag build shares: split ES modules for Node 20, names kept (errors and
 * classes are reported by name), and source maps so that stack traces name the `.ts` file and line
 * (a build may leave them out).
 * With `packages: 'bundle'`, npm packages are compiled in (except those in `unbundledPackages`): a package of many
 * small modules loads much faster as one file (yargs 0.10 → 0.06 s, @duckdb/node-api 0.09 → 0.07 s).
 * With `'external'` Node loads them, as a project's config needs: its packages are the project's.
 * @param {import('./build-cache.js').FileStamp[]} loaded collects the stamp of every file the build
 *   reads, except installed packages' (`root/node_modules/`): npm's record of installs stands for them
 * @param {'bundle' | 'external'} packages
 * @param {string} root the folder of the project compiled
 * @returns {import('esbuild').BuildOptions}
 */
export function compileOptions(loaded, packages, root) {
  return {
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    ...(packages === 'bundle' ? { external: unbundledPackages, banner: { js: requireBanner } } : { packages: 'external' }),
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    // ES modules by their extension: Node then looks up no package.json scope to learn each file's format.
    outExtension: { '.js': compiledExtension },
    define: Object.fromEntries(Object.entries(metaNames).map(([key, name]) => [`import.meta.${key}`, name])),
    plugins: [sourceFilesPlugin(loaded, join(root, 'node_modules', '/'))],
    logLevel: 'silent',
  };
}

/**
 * Loads the build's source files: each gets its own `import.meta.url`, `.dirname` and `.filename`
 * (in a bundle they would otherwise be the bundle's), and the stamps of files outside `packagesDir`
 * are added to `loaded`.
 * @param {import('./build-cache.js').FileStamp[]} loaded
 * @param {string} packagesDir
 * @returns {import('esbuild').Plugin}
 */
function sourceFilesPlugin(loaded, packagesDir) {
  return {
    name: 'duckdag-source-files',
    setup(build) {
      build.onLoad({ filter: /.*/ }, ({ path }) => {
        const stamp = path.startsWith(packagesDir) ? undefined : fileStamp(path);
        if (stamp !== undefined) loaded.push(stamp);
        const loader = loaders[extname(path)];
        if (loader === undefined) return undefined;
        const source = readFileSync(path, 'utf8');
        // Declared on the first line so that every other line keeps its number.
        const declarations = source.includes('import.meta') ? importMetaDeclarations(path) : '';
        return { contents: declarations + source, loader };
      });
    },
  };
}

/** @param {string} path */
function importMetaDeclarations(path) {
  const values = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
  const declared = Object.entries(metaNames).map(([key, name]) => `${name} = ${JSON.stringify(values[/** @type {keyof typeof values} */ (key)])}`);
  return `const ${declared.join(', ')};`;
}
