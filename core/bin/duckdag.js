#!/usr/bin/env node
// The duckdag executable: registers the TypeScript loader (the project config is TypeScript) and runs the CLI.
// yargs is loaded first, natively: through the loader's off-thread hooks its files would cost ~40 ms more.
import 'yargs';
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
