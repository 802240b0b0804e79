#!/usr/bin/env node
// @ts-check
// The duckdag executable. duckdag and project configs are TypeScript; they run compiled to
// JavaScript by esbuild and cached (see compiled-framework.js and compiled-config.js), which starts
// each command ~0.2 s sooner on Node 20 than a TypeScript loader would. Source maps keep stack
// traces through the project's config and assets pointing at their `.ts` files (duckdag's own
// modules are compiled without, see compiled-framework.js). If duckdag cannot compile itself (a
// broken installation, or a cache folder it may not write), it says why and exits 1.
import { fileURLToPath } from 'node:url';
import { compiledConfigImporter } from './compiled-config.js';
import { compiledFramework } from './compiled-framework.js';

process.setSourceMapsEnabled(true);
let framework;
try {
  framework = await compiledFramework();
} catch (error) {
  process.stderr.write(`error: duckdag could not compile its own modules: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const main = /** @type {string} */ (framework.moduleUrl(fileURLToPath(new URL('../cli/main.ts', import.meta.url))));
/** @type {typeof import('../cli/main.ts')} */
const { runCli } = await import(main);
process.exitCode = await runCli(process.argv.slice(2), undefined, compiledConfigImporter(framework));
