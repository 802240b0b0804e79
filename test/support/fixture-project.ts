/**
 * Throwaway projects for CLI tests: a temp folder with a package.json and the files given, and a
 * way to run the real `duckdag` executable against it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cleanup, tempDir } from './temp-dir.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const duckdagBin = join(repoRoot, 'core/bin/duckdag.js');
/** Import path of duckdag's public API, for fixture configs. */
export const coreIndex = join(repoRoot, 'core/index.ts');

export interface FixtureProject {
  readonly dir: string;
  /** Runs the CLI to its end, or SIGKILLs it `killAfterMs` after it started. */
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; killAfterMs?: number }): Promise<CliRun>;
  /** Starts the CLI without waiting for it. */
  spawn(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): ReturnType<typeof spawn>;
}

/** Resolves once the child has printed `text` on stdout. */
export function waitForOutput(child: ReturnType<typeof spawn>, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) resolvePromise();
    });
    child.on('close', () => reject(new Error(`the process ended without printing "${text}"; it printed: ${output}`)));
  });
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `files` (path → contents) into a temp project; `duckdag.config.ts` is the config. */
export function fixtureProject(t: Cleanup, files: Readonly<Record<string, string>>): FixtureProject {
  const dir = tempDir(t, 'duckdag-fixture-');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  const start = (args: readonly string[], options?: { env?: NodeJS.ProcessEnv }) =>
    spawn(process.execPath, [duckdagBin, '--config', join(dir, 'duckdag.config.ts'), ...args], {
      cwd: dir,
      env: { ...process.env, DUCKDAG_WAREHOUSE: '', DUCKDAG_MEMORY_LIMIT: '', DUCKDAG_THREADS: '', ...options?.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    spawn: start,
    run: (args, options) =>
      new Promise((resolvePromise, reject) => {
        const child = start(args, options);
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        const timer = options?.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolvePromise({ code, signal, stdout, stderr });
        });
      }),
  };
}
