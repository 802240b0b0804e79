/**
 * The day's search pages (`search/<CATEGORY_ID>/<OFFSET>.json`), screened before DuckDB reads them:
 * each is read once, cheaply, to sort it into a compact page (one line, read by DuckDB line by line,
 * where a malformed page comes back without results instead of failing the read), a usable page
 * written over several lines (checked whole first), or a page quarantined with its reason.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { maxSearchPageBytes, searchPageProblem, searchPageSizeProblem } from './search-page-problem.ts';

export interface SearchPageFile {
  /** The absolute path. */
  readonly path: string;
  /** `search/<CATEGORY_ID>/<OFFSET>.json`, relative to the responses folder. */
  readonly file: string;
  readonly categoryId: string;
  /** `null` when the file is not named `<OFFSET>.json`. */
  readonly pageOffset: number | null;
}

export interface RejectedPage extends SearchPageFile {
  readonly reason: string;
}

export interface SearchPages {
  /** Every page file found. */
  readonly files: readonly SearchPageFile[];
  /** Single-line pages: DuckDB reads them as newline-delimited JSON, ignoring a malformed one. */
  readonly compact: readonly SearchPageFile[];
  /** Pages over several lines, checked and usable. */
  readonly multiline: readonly SearchPageFile[];
  readonly rejected: readonly RejectedPage[];
  /** A glob matching exactly the files, when every one is compact: DuckDB reads it in less memory than a list. */
  readonly glob: string | null;
}

/** An offset as the API takes it: digits without leading zeros, below 2^31. */
const pageName = /^(0|[1-9]\d{0,8})\.json$/;
const newline = 0x0a;

/**
 * Pages screened between two turns of the event loop. Each is read with synchronous calls: a day's
 * 20,000 pages took 0.5 s of CPU time so, against 2.4 s through promises (mostly their bookkeeping),
 * and a batch holds the event loop for a few milliseconds.
 */
const pagesPerTurn = 100;

/** Lists and screens the search pages under `responsesDir`. */
export async function screenSearchPages(responsesDir: string): Promise<SearchPages> {
  const files = await listSearchPages(responsesDir);
  const chunk = Buffer.allocUnsafe(64 * 1024);
  const screening: (Screened | Promise<Screened>)[] = [];
  for (const [index, page] of files.entries()) {
    if (index > 0 && index % pagesPerTurn === 0) await nextTurn();
    screening.push(screen(page, chunk) ?? checkWhole(page));
  }
  const sorted = await Promise.all(screening);
  const compact = sorted.filter((one) => one.kind === 'compact').map((one) => one.page);
  return {
    files,
    glob: compact.length === files.length ? join(responsesDir, 'search', '*', '*.json') : null,
    compact,
    multiline: sorted.filter((one) => one.kind === 'multiline').map((one) => one.page),
    rejected: sorted.flatMap((one) => (one.kind === 'rejected' ? [{ ...one.page, reason: one.reason }] : [])),
  };
}

async function listSearchPages(responsesDir: string): Promise<SearchPageFile[]> {
  const searchDir = join(responsesDir, 'search');
  const categories = await readdir(searchDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const pages = await Promise.all(
    categories
      .filter((entry) => entry.isDirectory())
      .map(async (category) =>
        (await readdir(join(searchDir, category.name), { withFileTypes: true }))
          .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.json'))
          .map((entry): SearchPageFile => {
            const offset = pageName.exec(entry.name)?.[1];
            return {
              path: join(searchDir, category.name, entry.name),
              file: ['search', category.name, entry.name].join('/'),
              categoryId: category.name,
              pageOffset: offset === undefined ? null : Number(offset),
            };
          }),
      ),
  );
  return pages.flat().sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

type Screened =
  | { readonly kind: 'compact' | 'multiline'; readonly page: SearchPageFile }
  | { readonly kind: 'rejected'; readonly page: SearchPageFile; readonly reason: string };

/** A compact page, or one that cannot be used whatever it holds; `null` for a page to check whole. */
function screen(page: SearchPageFile, chunk: Buffer): Screened | null {
  if (page.pageOffset === null) return { kind: 'rejected', page, reason: `the file name ${JSON.stringify(basename(page.path))} is not <OFFSET>.json` };
  const file = openSync(page.path, 'r');
  try {
    const { size } = fstatSync(file);
    if (size > maxSearchPageBytes) return { kind: 'rejected', page, reason: searchPageSizeProblem(size) ?? '' };
    return isCompactObject(file, chunk) ? { kind: 'compact', page } : null;
  } finally {
    closeSync(file);
  }
}

/** A page over several lines (or not an object), read and checked whole. */
async function checkWhole(page: SearchPageFile): Promise<Screened> {
  const reason = searchPageProblem(await readFile(page.path));
  return reason === null ? { kind: 'multiline', page } : { kind: 'rejected', page, reason };
}

/**
 * Whether the open file is one line holding something that starts with `{` and ends with `}`,
 * trailing whitespace aside. Read in chunks, so screening a day holds no page in memory.
 */
function isCompactObject(file: number, chunk: Buffer): boolean {
  let first = -1;
  let last = -1;
  let newlineSeen = false;
  for (;;) {
    const bytesRead = readSync(file, chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    const bytes = chunk.subarray(0, bytesRead);
    if (first === -1) first = bytes.find((byte) => !isWhitespace(byte)) ?? -1;
    const from = newlineSeen ? 0 : bytes.indexOf(newline);
    if (from !== -1) {
      newlineSeen = true;
      if (bytes.subarray(from).some((byte) => !isWhitespace(byte))) return false;
    }
    let end = bytesRead;
    while (end > 0 && isWhitespace(bytes[end - 1]!)) end -= 1;
    if (end > 0) last = bytes[end - 1]!;
  }
  return first === 0x7b && last === 0x7d;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
