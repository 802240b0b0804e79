/**
 * How a command's DuckDB is set up for the warehouse file: an in-memory instance carrying the memory
 * limit and threads, with the file attached as catalog `warehouse` (attaching is how DuckDB takes a
 * row group size) and made each connection's default. Spilled data goes to `<file>.tmp/`, as when
 * DuckDB opens a file itself.
 */
import type { DuckdbSettings } from './duckdb-settings.ts';
import { identifier, joinSql, sql, type Sql } from '../core/kernel/sql.ts';

const catalog = identifier('warehouse');

/**
 * The file format the warehouse is written in. DuckDB's own default stays readable by DuckDB 0.10,
 * which lacks zstd for text (`USING COMPRESSION zstd`, which `raw_listings` uses for its JSON) and
 * DuckDB 1.5's dictionary compression for text. A file written in an older format is upgraded on its
 * first write; DuckDB before 1.5 cannot open it afterwards.
 */
const storageVersion = 'v1.5.0';

/** The options for `DuckDBInstance.create(':memory:', …)`. */
export function instanceOptions(path: string, settings: DuckdbSettings): Record<string, string> {
  return {
    temp_directory: `${path}.tmp`,
    ...(settings.memoryLimit === undefined ? {} : { memory_limit: settings.memoryLimit }),
    ...(settings.threads === undefined ? {} : { threads: String(settings.threads) }),
  };
}

/** The statement attaching the file, read-only or not, in `storageVersion`, with the settings' row group size. */
export function attachStatement(path: string, access: 'read_write' | 'read_only', settings: DuckdbSettings): Sql {
  const options = [
    ...(access === 'read_only' ? [sql`READ_ONLY`] : []),
    sql`STORAGE_VERSION ${storageVersion}`,
    ...(settings.rowGroupSize === undefined ? [] : [sql`ROW_GROUP_SIZE ${settings.rowGroupSize}`]),
  ];
  return sql`ATTACH ${path} AS ${catalog} (${joinSql(options, ', ')})`;
}

/** Makes the attached file the connection's default catalog. */
export const useStatement = sql`USE ${catalog}`;

/** Writes everything in the file's write-ahead log into the file, and empties the log. */
export const checkpointStatement = sql`CHECKPOINT ${catalog}`;
