/**
 * Where the CLI writes and what it knows of its terminal, so tests can run it in-process.
 */
import { ignoreBrokenPipe } from './broken-pipe.ts';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  ignoreBrokenPipe(process.stdout);
  ignoreBrokenPipe(process.stderr);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
