/**
 * A connection that runs one batch of statements at a time, each batch its own transaction unless
 * it says otherwise: reads of what the warehouse holds and the commits made beside an asset's
 * transaction share it.
 */
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import pLimit from 'p-limit';
import { runAndReadInPlace } from './read-in-place.ts';

export class SerialConnection {
  readonly #connection: DuckDBConnection;
  readonly #serial = pLimit(1);

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  run(statements: string): Promise<void> {
    return this.#serial(async () => {
      await this.#connection.run(statements);
    });
  }

  /** Runs statements and reads the last one's result. */
  read(statements: string): Promise<DuckDBResultReader> {
    return this.#serial(() => runAndReadInPlace(this.#connection, statements));
  }

  /** Runs `statements` in one transaction, rolled back if any fails. */
  runInTransaction(statements: string): Promise<void> {
    return this.#serial(async () => {
      try {
        await this.#connection.run(`BEGIN TRANSACTION;\n${statements};\nCOMMIT`);
      } catch (error) {
        await this.#connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }
}
