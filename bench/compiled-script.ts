/**
 * A baseline script compiled to JavaScript before it is timed, the way duckdag compiles itself
 * (core/bin/compiler.js, packages bundled in), so that both sides of a comparison load alike.
 */
import { join, parse } from 'node:path';
import { build } from 'esbuild';
import { compiledExtension, compileOptions } from '../core/bin/compiler.js';
import { repoRoot } from './bench-context.ts';

/** Compiles `source` into `workDir/compiled/` and returns the script to run with plain `node`. */
export async function compiledScript(source: string, workDir: string): Promise<string> {
  const { name } = parse(source);
  const outdir = join(workDir, 'compiled', name);
  const options = compileOptions([], 'bundle', repoRoot);
  // jsonc-parser's CommonJS build loads its parts with computed requires, which a bundle cannot hold.
  await build({ ...options, external: [...(options.external ?? []), 'jsonc-parser'], entryPoints: { [name]: source }, outdir });
  return join(outdir, `${name}${compiledExtension}`);
}
