/**
 * Running a query and reading its whole result without a trip to DuckDB's threads per chunk.
 * `connection.run` already materializes the result; `runAndReadAll` would then fetch each chunk,
 * and one more to learn there is none left, through the thread pool: two round trips for a result
 * of one row, which cost more than most of duckdag's statements on a busy machine. The chunks are
 * taken from the materialized result in place instead.
 */
import { DuckDBMaterializedResult, DuckDBResultReader, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';

class ChunksInPlace extends DuckDBMaterializedResult {
  #next = 0;

  constructor(materialized: DuckDBMaterializedResult) {
    // The same native result, read by index instead of fetched.
    super((materialized as ChunksInPlace).result);
  }

  override fetchChunk(): Promise<DuckDBDataChunk | null> {
    return Promise.resolve(this.#next < this.chunkCount ? this.getChunk(this.#next++) : null);
  }
}

/** Runs `statements` (several, separated by `;`) and reads all of the last one's result. */
export async function runAndReadInPlace(connection: DuckDBConnection, statements: string): Promise<DuckDBResultReader> {
  const reader = new DuckDBResultReader(new ChunksInPlace(await connection.run(statements)));
  await reader.readAll();
  return reader;
}
