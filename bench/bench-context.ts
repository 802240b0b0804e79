/** What every scenario gets: a work folder, the repeat count, and the repo's executables. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
export const duckdagBin = join(repoRoot, 'core/bin/duckdag.js');

export interface BenchContext {
  /** A folder for generated inputs and warehouses, kept between invocations for reuse. */
  readonly workDir: string;
  /** Repetitions per measurement; medians are taken over them. */
  readonly runs: number;
  readonly log: (line: string) => void;
}

/** One measured quantity with its baseline from the same invocation. */
export interface BenchRow {
  readonly scenario: string;
  readonly case: string;
  readonly medianMs: number;
  readonly baseline: string;
  readonly baselineMs: number;
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean;
  readonly extra?: Readonly<Record<string, unknown>>;
}
