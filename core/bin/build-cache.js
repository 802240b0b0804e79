// @ts-check
/**
 * Compiled builds kept under a project's `node_modules/.cache/duckdag`. A build named `name` has a
 * manifest, `name.json`, listing the files it was compiled from with the size and modification time
 * each had when it was read; the build is reused while they all still match. A build is written into
 * a temporary folder and renamed into place whole before the manifest (itself replaced by a rename)
 * names it: a process never sees half a build, and processes building at once each get a complete one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Superseded builds are removed once this old: until then, a long run started on one can still load its lazy modules. */
const staleAfterMs = 24 * 60 * 60 * 1000;

/**
 * A file as it was when compiled: path, size and modification time.
 * @typedef {[path: string, size: number, mtimeMs: number]} FileStamp
 */

/**
 * @typedef {object} Manifest
 * @property {string} build the build's folder name
 * @property {string} requires what else the build depends on (another build), '' if nothing
 * @property {FileStamp[]} inputs
 */

/**
 * The cache folder of the project at `projectDir`.
 * @param {string} projectDir
 */
export function cacheDirOf(projectDir) {
  return join(projectDir, 'node_modules', '.cache', 'duckdag');
}

/**
 * The stamp of the file at `path`, taken just before reading it; undefined when it is gone.
 * @param {string} path
 * @returns {FileStamp | undefined}
 */
export function fileStamp(path) {
  try {
    const stat = statSync(path);
    return [path, stat.size, stat.mtimeMs];
  } catch {
    return undefined;
  }
}

/**
 * The folder of build `name` if it is still fresh: compiled against `requires`, from files that are
 * all unchanged, and among them every one of `mustInclude` (a file added since makes it stale).
 * @param {string} cacheDir
 * @param {string} name
 * @param {{ requires?: string, mustInclude?: readonly string[] }} expected
 * @returns {string | undefined}
 */
export function freshBuild(cacheDir, name, { requires = '', mustInclude = [] } = {}) {
  const manifest = readManifest(join(cacheDir, `${name}.json`));
  if (manifest === undefined || manifest.requires !== requires) return undefined;
  const compiled = new Set(manifest.inputs.map(([path]) => path));
  if (!mustInclude.every((path) => compiled.has(path))) return undefined;
  for (const [path, size, mtimeMs] of manifest.inputs) {
    const now = fileStamp(path);
    if (now === undefined || now[1] !== size || now[2] !== mtimeMs) return undefined;
  }
  const dir = join(cacheDir, manifest.build);
  return existsSync(dir) ? dir : undefined;
}

/**
 * Compiles build `name` and records it in its manifest. `compile` writes into the empty folder it is
 * given and resolves with the stamps of the files it read.
 * @param {string} cacheDir
 * @param {string} name
 * @param {(outdir: string) => Promise<FileStamp[]>} compile
 * @param {{ requires?: string }} options
 * @returns {Promise<string>} the build's folder
 */
export async function storeBuild(cacheDir, name, compile, { requires = '' } = {}) {
  mkdirSync(cacheDir, { recursive: true });
  const tempDir = mkdtempSync(join(cacheDir, 'building-'));
  let inputs;
  try {
    inputs = await compile(tempDir);
  } catch (error) {
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }
  const build = `${name}-${basename(tempDir).slice('building-'.length)}`;
  renameSync(tempDir, join(cacheDir, build));
  /** @type {Manifest} */
  const manifest = { build, requires, inputs };
  const manifestPath = join(cacheDir, `${name}.json`);
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify(manifest));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  removeStaleBuilds(cacheDir, name, build);
  return join(cacheDir, build);
}

/**
 * @param {string} path
 * @returns {Manifest | undefined}
 */
function readManifest(path) {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    return typeof manifest?.build === 'string' && Array.isArray(manifest.inputs) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes, once a day old, the earlier builds of `name` and abandoned temporary folders.
 * @param {string} cacheDir
 * @param {string} name
 * @param {string} current
 */
function removeStaleBuilds(cacheDir, name, current) {
  const now = Date.now();
  for (const entry of readdirSync(cacheDir)) {
    if (entry === current || !(entry.startsWith(`${name}-`) || entry.startsWith('building-'))) continue;
    const path = join(cacheDir, entry);
    try {
      if (now - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
