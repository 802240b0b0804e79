/**
 * One asset's transaction on its connection, opened on first use; the commit travels with the last
 * statements in one round trip, and an asset that touched nothing before (most value assets) gets
 * its `BEGIN` in that same round trip too. Once the run is cancelled no statement starts (a running
 * one is interrupted by the store); the commit still goes through, so that a side effect already
 * done is recorded. An attempt that shares the transaction of others (see deferred-commits.ts) runs
 * its statements in that one instead, and neither commits nor rolls back on its own.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import { CancelledError } from '../core/kernel/errors.ts';
import type { SharedAttempt } from './deferred-commits.ts';
import { runAndReadInPlace } from './read-in-place.ts';

export class AssetTransaction {
  readonly connection: DuckDBConnection;
  readonly #signal: AbortSignal | undefined;
  readonly #beforeFirstStatement: () => Promise<void>;
  readonly shared: SharedAttempt | null;
  #open = false;
  #begun: Promise<void> | null = null;

  /** `beforeFirstStatement` runs once, before the first statement the asset's code or its kind sends. */
  constructor(
    connection: DuckDBConnection,
    signal?: AbortSignal,
    beforeFirstStatement: () => Promise<void> = () => Promise.resolve(),
    shared: SharedAttempt | null = null,
  ) {
    this.connection = connection;
    this.#signal = signal;
    this.#beforeFirstStatement = beforeFirstStatement;
    this.shared = shared;
  }

  /** The part of the shared transaction that `attempt` joined. */
  static sharing(attempt: SharedAttempt, signal: AbortSignal): AssetTransaction {
    return new AssetTransaction(attempt.connection, signal, () => attempt.begin(), attempt);
  }

  /** Whether any statement was sent before the commit. */
  get touched(): boolean {
    return this.#begun !== null;
  }

  /** Runs statements (several, separated by `;`) inside the transaction. */
  async run(statements: string): Promise<void> {
    this.#checkCancelled();
    await this.#begin();
    this.shared?.sent(statements);
    await this.connection.run(statements);
  }

  /** Runs statements inside the transaction and reads the last one's result. */
  async read(statements: string): Promise<DuckDBResultReader> {
    this.#checkCancelled();
    await this.#begin();
    this.shared?.sent(statements);
    return runAndReadInPlace(this.connection, statements);
  }

  /** DuckDB's appender on `table`, inside the transaction. */
  async appender(table: string): Promise<DuckDBAppender> {
    this.#checkCancelled();
    await this.#begin();
    return this.connection.createAppender(table);
  }

  /** The connection, once the transaction may use it, for parsing statements (which reads and writes nothing). */
  async parsingConnection(): Promise<DuckDBConnection> {
    if (this.shared !== null) await this.#begin();
    return this.connection;
  }

  /** Runs the last statements and commits, in one round trip. */
  async commit(statements: string): Promise<void> {
    if (this.shared !== null) throw new Error('an attempt in the shared transaction is committed with it, not on its own');
    const begin = this.#open ? '' : 'BEGIN TRANSACTION;\n';
    this.#open = true;
    await this.connection.run(`${begin}${statements};\nCOMMIT`);
    this.#open = false;
  }

  /** Undoes everything, if anything was begun. */
  async rollback(): Promise<void> {
    if (this.shared !== null) return this.shared.abandon();
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
      if (this.shared !== null) return undefined;
      this.#open = true;
      return this.connection.run('BEGIN TRANSACTION');
    }).then(() => undefined);
    await this.#begun;
  }
}
