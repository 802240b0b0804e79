/**
 * One asset's transaction on its connection, opened on first use; the commit travels with the last
 * statements in one round trip, and an asset that touched nothing before (most value assets) gets
 * its `BEGIN` in that same round trip too.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';

export class AssetTransaction {
  readonly connection: DuckDBConnection;
  #open = false;

  constructor(connection: DuckDBConnection) {
    this.connection = connection;
  }

  /** Runs statements (several, separated by `;`) inside the transaction. */
  async run(statements: string): Promise<void> {
    await this.#begin();
    await this.connection.run(statements);
  }

  /** Runs statements inside the transaction and reads the last one's result. */
  async read(statements: string): Promise<DuckDBResultReader> {
    await this.#begin();
    return this.connection.runAndReadAll(statements);
  }

  /** DuckDB's appender on `table`, inside the transaction. */
  async appender(table: string): Promise<DuckDBAppender> {
    await this.#begin();
    return this.connection.createAppender(table);
  }

  /** Runs the last statements and commits, in one round trip. */
  async commit(statements: string): Promise<void> {
    const begin = this.#open ? '' : 'BEGIN TRANSACTION;\n';
    this.#open = true;
    await this.connection.run(`${begin}${statements};\nCOMMIT`);
    this.#open = false;
  }

  /** Undoes everything, if anything was begun. */
  async rollback(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    try {
      await this.connection.run('ROLLBACK');
    } catch {
      // DuckDB already ended the transaction (it does on some errors); nothing is left to undo.
    }
  }

  /**
   * A statement of its own: sent with the asset's first SQL, DuckDB would leave the position
   * (`LINE 1: …`) out of that SQL's errors.
   */
  async #begin(): Promise<void> {
    if (this.#open) return;
    this.#open = true;
    await this.connection.run('BEGIN TRANSACTION');
  }
}
