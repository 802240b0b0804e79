/**
 * The tables a SQL statement reads, as DuckDB's own parser sees them (`json_serialize_sql`), so
 * that DuckDB's dialect (QUALIFY, GROUP BY ALL, EXCLUDE, FROM-first, struct literals) parses
 * exactly. Names of common table expressions are not tables: a reference to one inside its scope
 * is dropped. DuckDB serializes SELECT statements only; anything else is reported as such.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../core/kernel/sql.ts';
import { runAndReadInPlace } from './read-in-place.ts';

/** A table named in a statement, and where (a character offset into the statement text). */
export interface TableRead {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
  readonly offset: number | null;
}

export type ParsedReads = { readonly ok: true; readonly tables: readonly TableRead[] } | { readonly ok: false; readonly error: string };

/** Parses `statement` on `connection` (any DuckDB connection; parsing touches no table). */
export async function tableReads(connection: DuckDBConnection, statement: string): Promise<ParsedReads> {
  const reader = await runAndReadInPlace(connection, `SELECT json_serialize_sql(${literal(statement).text})`);
  return readsOfSerialized(String(reader.getRows()[0]?.[0] ?? ''));
}

/** A parser on an in-memory DuckDB of its own, for statements outside any warehouse. */
export class SqlReadsParser {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  static async open(): Promise<SqlReadsParser> {
    const instance = await DuckDBInstance.create(':memory:');
    return new SqlReadsParser(instance, await instance.connect());
  }

  /** Parses `statements` a batch per query rather than one each (a round trip costs ~0.5 ms); results in their order. */
  async parse(statements: readonly string[]): Promise<ParsedReads[]> {
    const results: ParsedReads[] = [];
    for (let start = 0; start < statements.length; start += batchSize) {
      const list = `[${statements
        .slice(start, start + batchSize)
        .map((statement) => literal(statement).text)
        .join(', ')}]`;
      const reader = await runAndReadInPlace(
        this.#connection,
        `SELECT json_serialize_sql(statement) FROM (SELECT unnest(list) AS statement, generate_subscripts(list, 1) AS position FROM (SELECT ${list} AS list)) ORDER BY position`,
      );
      for (const [serialized] of reader.getRows()) results.push(readsOfSerialized(String(serialized ?? '')));
    }
    return results;
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/** Statements parsed per query by `SqlReadsParser`. */
const batchSize = 500;

/** Offsets DuckDB gives nodes without a position. */
const noLocation = 2 ** 53;

function readsOfSerialized(json: string): ParsedReads {
  const parsed = JSON.parse(json) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (parsed.error) return { ok: false, error: parsed.error_message ?? 'the statement does not parse' };
  const tables: TableRead[] = [];
  for (const statement of parsed.statements ?? []) collect(statement, new Set(), tables);
  return { ok: true, tables };
}

/**
 * Walks the serialized tree with the CTE names in scope of each node, as DuckDB's binder scopes
 * them: a query's CTEs are visible in its body and in its later CTEs, not in their own body or
 * earlier ones (so `WITH t AS (SELECT * FROM t)` reads the table t); a recursive CTE sees itself
 * only in the recursive arm of its UNION; a nested WITH shadows the names around it.
 */
function collect(node: unknown, scope: ReadonlySet<string>, into: TableRead[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, scope, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  let visible = scope;
  for (const { key, value } of (record.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map ?? []) {
    collect(value, visible, into);
    visible = new Set([...visible, key.toLowerCase()]);
  }
  if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') {
    const schema = String(record.schema_name ?? '');
    const catalog = String(record.catalog_name ?? '');
    const isCte = schema === '' && catalog === '' && visible.has(record.table_name.toLowerCase());
    if (!isCte) {
      const location = Number(record.query_location);
      into.push({ catalog, schema, table: record.table_name, offset: Number.isFinite(location) && location < noLocation ? location : null });
    }
  }
  const recursiveName = record.type === 'RECURSIVE_CTE_NODE' && typeof record.cte_name === 'string' ? record.cte_name.toLowerCase() : undefined;
  for (const [field, value] of Object.entries(record)) {
    if (field === 'cte_map') continue;
    collect(value, recursiveName !== undefined && field === 'right' ? new Set([...visible, recursiveName]) : visible, into);
  }
}
