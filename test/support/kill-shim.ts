/**
 * The kill shim of the crash tests (`test/crash/killshim.c`), built with the system's C compiler:
 * loaded with `LD_PRELOAD`, it kills its process with SIGKILL at the write `KILL_AT` names.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixture-project.ts';

/** Builds the shim into `dir`; returns its path. */
export function buildKillShim(dir: string): string {
  const shim = join(dir, 'killshim.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', shim, join(repoRoot, 'test/crash/killshim.c'), '-ldl']);
  return shim;
}
