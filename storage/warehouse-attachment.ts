/**
 * How a command's DuckDB is set up for the warehouse file: an in-memory instance carrying the memory
 * limit and threads, with the file attached as catalog `warehouse` (attaching is how DuckDB takes a
 * row group size) and made each connection's default. Spilled data goes to `<file>.tmp/`, as when
 * DuckDB opens a file itself.
 */
import type { DuckdbSettings } from './duckdb-settings.ts';
import { identifier, joinSql, sql, type Sql } from '../core/kernel/sql.ts';

const catalog = identifier('warehouse');

/** The options for `DuckDBInstance.create(':memory:', …)`. */
export function instanceOptions(path: string, settings: DuckdbSettings): Record<string, string> {
  return {
    temp_directory: `${path}.tmp`,
    ...(settings.memoryLimit === undefined ? {} : { memory_limit: settings.memoryLimit }),
    ...(settings.threads === undefined ? {} : { threads: String(settings.threads) }),
  };
}

/** The statement attaching the file, read-only or not, with the settings' row group size. */
export function attachStatement(path: string, access: 'read_write' | 'read_only', settings: DuckdbSettings): Sql {
  const options = [
    ...(access === 'read_only' ? [sql`READ_ONLY`] : []),
    ...(settings.rowGroupSize === undefined ? [] : [sql`ROW_GROUP_SIZE ${settings.rowGroupSize}`]),
  ];
  const attach = sql`ATTACH ${path} AS ${catalog}`;
  return options.length === 0 ? attach : sql`${attach} (${joinSql(options, ', ')})`;
}

/** Makes the attached file the connection's default catalog. */
export const useStatement = sql`USE ${catalog}`;

/** Writes everything in the file's write-ahead log into the file, and empties the log. */
export const checkpointStatement = sql`CHECKPOINT ${catalog}`;
