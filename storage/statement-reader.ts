/** Something that runs a query and reads its result: a connection, or an asset's transaction. */
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import { runAndReadInPlace } from './read-in-place.ts';

export interface StatementReader {
  read(query: string): Promise<DuckDBResultReader>;
}

/** Reads on a connection, outside any asset's transaction. */
export function connectionReader(connection: DuckDBConnection): StatementReader {
  return { read: (query) => runAndReadInPlace(connection, query) };
}
