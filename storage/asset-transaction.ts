/**
 * One asset's transaction on its connection, opened on first use; the commit travels with the last
 * statements in one round trip, and an asset that touched nothing before (most value assets) gets
 * its `BEGIN` in that same round trip too. Once the run is cancelled no statement starts (a running
 * one is interrupted by the store); the commit still goes through, so that a side effect already
 * done is recorded.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import { CancelledError } from '../core/kernel/errors.ts';
import { runAndReadInPlace } from './read-in-place.ts';

export class AssetTransaction {
  readonly connection: DuckDBConnection;
  readonly #signal: AbortSignal | undefined;
  readonly #beforeFirstStatement: () => Promise<void>;
  #open = false;
  #begun: Promise<void> | null = null;

  /** `beforeFirstStatement` runs once, before the first statement the asset's code or its kind sends. */
  constructor(connection: DuckDBConnection, signal?: AbortSignal, beforeFirstStatement: () => Promise<void> = () => Promise.resolve()) {
    this.connection = connection;
    this.#signal = signal;
    this.#beforeFirstStatement = beforeFirstStatement;
  }

  /** Whether any statement was sent before the commit. */
  get touched(): boolean {
    return this.#begun !== null;
  }

  /** Runs statements (several, separated by `;`) inside the transaction. */
  async run(statements: string): Promise<void> {
    this.#checkCancelled();
    await this.#begin();
    await this.connection.run(statements);
  }

  /** Runs statements inside the transaction and reads the last one's result. */
  async read(statements: string): Promise<DuckDBResultReader> {
    this.#checkCancelled();
    await this.#begin();
    return runAndReadInPlace(this.connection, statements);
  }

  /** DuckDB's appender on `table`, inside the transaction. */
  async appender(table: string): Promise<DuckDBAppender> {
    this.#checkCancelled();
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

  #checkCancelled(): void {
    if (this.#signal?.aborted) throw new CancelledError('the run was cancelled while this asset ran');
  }

  /**
   * A statement of its own: sent with the asset's first SQL, DuckDB would place the position of
   * that SQL's errors (`LINE 1: …`) after the `BEGIN` text, not where the error is in that SQL.
   */
  async #begin(): Promise<void> {
    this.#begun ??= this.#beforeFirstStatement().then(() => {
      this.#open = true;
      return this.connection.run('BEGIN TRANSACTION');
    }).then(() => undefined);
    await this.#begun;
  }
}
