// @ts-check
/**
 * Compiled builds kept under a project's `node_modules/.cache/duckdag`. A build is named for what it
 * was compiled from (the content of every source file, see `sourceKey`), written into a temporary
 * folder and renamed into place whole: a process never sees half a build, and two processes
 * building at once both end up with a complete one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Builds unused for this long are removed when a newer build is stored beside them. */
const staleAfterMs = 24 * 60 * 60 * 1000;

/**
 * The cache folder of the project at `projectDir`.
 * @param {string} projectDir
 */
export function cacheDirOf(projectDir) {
  return join(projectDir, 'node_modules', '.cache', 'duckdag');
}

/**
 * A short hash of `parts` and of each file's path (relative to `root`) and content; undefined when a
 * file is gone, which means the build that listed it is out of date.
 * @param {string} root
 * @param {Iterable<string>} files
 * @param {readonly string[]} parts
 * @returns {string | undefined}
 */
export function sourceKey(root, files, parts = []) {
  /** @type {Map<string, Buffer>} */
  const contents = new Map();
  for (const file of files) {
    try {
      contents.set(file, readFileSync(file));
    } catch {
      return undefined;
    }
  }
  return contentKey(root, contents, parts);
}

/**
 * `sourceKey` of contents already read: a build keys itself with the exact text it compiled.
 * @param {string} root
 * @param {ReadonlyMap<string, string | Buffer>} contents
 * @param {readonly string[]} parts
 */
export function contentKey(root, contents, parts = []) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part}\0`);
  for (const file of [...contents.keys()].sort()) {
    const content = /** @type {string | Buffer} */ (contents.get(file));
    hash.update(`${relative(root, file)}\0${Buffer.byteLength(content)}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Runs `build` on an empty temporary folder inside `cacheDir`, then renames that folder to the name
 * `build` resolves with, which starts with `prefix`. Returns the build's folder.
 * @param {string} cacheDir
 * @param {string} prefix
 * @param {(tempDir: string) => Promise<string>} build
 * @returns {Promise<string>}
 */
export async function storeBuild(cacheDir, prefix, build) {
  mkdirSync(cacheDir, { recursive: true });
  const tempDir = mkdtempSync(join(cacheDir, 'building-'));
  try {
    const name = await build(tempDir);
    const dir = join(cacheDir, name);
    try {
      renameSync(tempDir, dir);
    } catch (error) {
      if (!existsSync(dir)) throw error;
      rmSync(tempDir, { recursive: true, force: true }); // another process stored the same build first
    }
    removeStaleBuilds(cacheDir, prefix, name);
    return dir;
  } catch (error) {
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Removes the earlier builds named `prefix…` and abandoned temporary folders, once a day old: until
 * then a long run started on one can still load its lazy modules.
 * @param {string} cacheDir
 * @param {string} prefix
 * @param {string} current
 */
function removeStaleBuilds(cacheDir, prefix, current) {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (name === current || !(name.startsWith(prefix) || name.startsWith('building-'))) continue;
    const path = join(cacheDir, name);
    try {
      if (now - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
