/**
 * Running SQL from a person on the warehouse without letting it change anything: one SELECT
 * statement (WITH, FROM, VALUES, DESCRIBE, SHOW and SUMMARIZE are SELECTs), no table function that
 * changes DuckDB's state or writes files, no extension installed or loaded, and DuckDB's
 * configuration locked before the statement is even bound. Reading local files is an option of the
 * policy: allowed for the command line, whose user can read them anyway, and never for a query box
 * that serves other people.
 */
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { DuckdagError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { tableFromReader, type QueryTable } from './read-rows.ts';

export interface QueryPolicy {
  /** Whether the query may read files on this machine (`read_csv('…')`, `FROM 'file.parquet'`). */
  readonly localFiles: boolean;
  /** Read the result only this far (at least; DuckDB reads whole chunks); unset, all of it. */
  readonly maxRows?: number;
}

/** Table functions that are SELECTs in form but change the instance, write files, or run SQL given as text. */
const refusedTableFunctions: ReadonlySet<string> = new Set([
  'checkpoint',
  'force_checkpoint',
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'enable_profiling',
  'disable_profiling',
  'enable_peg_parser',
  'disable_peg_parser',
  'query',
  'json_execute_serialized_sql',
]);

const allowedForms = 'SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW or SUMMARIZE';

/** Checks `text` against the policy, then runs it on `connection`, whose instance it locks for good. */
export async function runReadOnlyQuery(connection: DuckDBConnection, text: string, policy: QueryPolicy): Promise<QueryTable> {
  await lockDown(connection, policy);
  const parsed = await parse(connection, text);
  if (parsed.error_type === 'parser') throw new Error(`Parser Error: ${parsed.error_message}`);
  if (parsed.statements === undefined) refuse(`only one read-only statement may run (${allowedForms})`);
  if (parsed.statements.length === 0) refuse('the SQL holds no statement');
  if (parsed.statements.length > 1) refuse(`only one statement may run, got ${parsed.statements.length}`);
  const refusedFunction = functionNames(parsed.statements[0]).find((name) => refusedTableFunctions.has(name));
  if (refusedFunction !== undefined) refuse(`${refusedFunction}() changes the database or writes files`);
  const extracted = await connection.extractStatements(text);
  if (extracted.count !== 1) refuse(`only one statement may run, got ${extracted.count}`);
  const prepared = await extracted.prepare(0);
  if (prepared.statementType !== StatementType.SELECT) refuse(`only one read-only statement may run (${allowedForms})`);
  return tableFromReader(await (policy.maxRows === undefined ? prepared.runAndReadAll() : prepared.streamAndReadUntil(policy.maxRows)));
}

/** Locks the instance's configuration for good, once; a later query with a stricter policy checks it still holds. */
async function lockDown(connection: DuckDBConnection, policy: QueryPolicy): Promise<void> {
  const reader = await connection.runAndReadAll(
    "SELECT current_setting('lock_configuration') AS locked, current_setting('enable_external_access') AS external",
  );
  const [locked, external] = reader.getRowsJS()[0] ?? [];
  if (locked !== true) {
    const settings = [
      'SET autoinstall_known_extensions = false',
      'SET autoload_known_extensions = false',
      'SET allow_community_extensions = false',
      ...(policy.localFiles ? [] : ['SET enable_external_access = false']),
      'SET lock_configuration = true',
    ];
    for (const setting of settings) await connection.run(setting);
  } else if (!policy.localFiles && external === true) {
    throw new Error('this DuckDB instance was locked with local files allowed; open another to run a query without them');
  }
}

interface ParsedSql {
  readonly statements?: readonly unknown[];
  readonly error_type?: string;
  readonly error_message?: string;
}

/** DuckDB's own parse of `text` as JSON; only SELECT statements can be serialized. Nothing is bound or run. */
async function parse(connection: DuckDBConnection, text: string): Promise<ParsedSql> {
  const reader = await connection.runAndReadAll(sql`SELECT json_serialize_sql(${text})`.text);
  return JSON.parse(String(reader.getRowsJS()[0]?.[0])) as ParsedSql;
}

/** Every function name called anywhere in a parsed statement, lower-cased. */
function functionNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(functionNames);
  if (node === null || typeof node !== 'object') return [];
  const own = 'function_name' in node && typeof node.function_name === 'string' ? [node.function_name.toLowerCase()] : [];
  return [...own, ...Object.values(node).flatMap(functionNames)];
}

function refuse(reason: string): never {
  throw new DuckdagError('DUCKDAG_QUERY_REFUSED', `query refused, nothing was run: ${reason}. The warehouse is read-only here.`, { exitCode: 2 });
}
