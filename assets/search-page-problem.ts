/**
 * What makes a search page unusable, the one rule for recorded samples and API answers alike: a page
 * is one JSON object, at most `maxSearchPageBytes`, with `results` an array. A page that breaks it is
 * quarantined with the reason this returns; the rest of the day loads.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** DuckDB's JSON reader takes objects up to 16 MB (`maximum_object_size`); a real page is ~70 KB. */
export const maxSearchPageBytes = 16 * 1024 * 1024;

/** Why a page of `size` bytes cannot be loaded whatever it holds, or `null`. */
export function searchPageSizeProblem(size: number): string | null {
  if (size === 0) return 'empty file';
  if (size > maxSearchPageBytes) return `${size.toLocaleString('en-US')} bytes, more than a page may have (16 MB)`;
  return null;
}

/** A search page as the rule sees it: an object with a `results` array. */
export interface SearchPageBody {
  readonly results: readonly unknown[];
  readonly [key: string]: unknown;
}

/** Why the page in `bytes` cannot be loaded, or `null` when it can. */
export function searchPageProblem(bytes: Uint8Array): string | null {
  const read = readSearchPage(bytes);
  return 'problem' in read ? read.problem : null;
}

/** The page in `bytes`, or why it cannot be loaded. */
export function readSearchPage(bytes: Uint8Array): { readonly page: SearchPageBody } | { readonly problem: string } {
  const problem = (reason: string) => ({ problem: reason });
  const tooLarge = searchPageSizeProblem(bytes.length);
  if (tooLarge !== null) return problem(tooLarge);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch (error) {
    return problem(`not JSON: ${syntaxError(text, error)}`);
  }
  if (typeof page !== 'object' || page === null || Array.isArray(page)) return problem(`not a JSON object but ${jsonType(page)}`);
  if (!('results' in page)) return problem('no results');
  const { results } = page;
  if (!Array.isArray(results)) return problem(`results is ${jsonType(results)}, not an array`);
  return { page: page as SearchPageBody };
}

/** The first syntax error with its byte offset, as a strict JSON parser reports it. */
function syntaxError(text: string, error: unknown): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return error instanceof Error ? error.message : String(error);
  const where = first.offset < 40 ? `starts with ${JSON.stringify(text.slice(0, 60))}` : `near ${JSON.stringify(text.slice(first.offset - 30, first.offset + 10))}`;
  return `${describeCode(printParseErrorCode(first.error))} at byte ${Buffer.byteLength(text.slice(0, first.offset))} (${where})`;
}

/** `InvalidSymbol` → `invalid symbol`. */
function describeCode(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
