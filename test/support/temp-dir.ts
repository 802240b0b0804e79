/** A fresh folder under the OS temp dir, removed when the test ends. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What removes the folder: a test's context, or `{ after }` of node:test for a whole file. */
export interface Cleanup {
  after(fn: () => void): void;
}

export function tempDir(t: Cleanup, prefix = 'duckdag-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
