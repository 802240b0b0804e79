/**
 * Commits that may wait, and commit together. A value asset that declares no resources and whose
 * code sends no statement is a pure computation: nothing outside the run can have seen its value
 * yet, so its record (the value and its history row, in that order) waits here instead of paying a
 * commit of its own, as do the history rows of assets that did not materialize. Each record is the
 * whole write of one asset, and pending records commit in one transaction, in the order they were
 * made: a crash loses whole records, the latest ones, never part of one.
 *
 * They are committed before anything could depend on their being durable: before the code of an
 * asset that declares resources starts (resources are how code reaches outside the run: an email,
 * an API), before any asset's first statement (a table asset built from a value, a read of the
 * history), at the run's start and end, and once the oldest has waited `maxDelayMs` (so a long
 * pure step does not hold the records before it back).
 */
import type { Sql } from '../core/kernel/sql.ts';
import type { SerialConnection } from './serial-connection.ts';

/** How long a record may wait for a commit, at most. */
export const deferredCommitMaxDelayMs = 1000;

export class DeferredCommits {
  readonly #connection: SerialConnection;
  readonly #maxDelayMs: number;
  #pending: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  /** The latest commit sent, which the serial connection runs after every earlier one. */
  #latest: Promise<void> = Promise.resolve();

  constructor(connection: SerialConnection, maxDelayMs = deferredCommitMaxDelayMs) {
    this.#connection = connection;
    this.#maxDelayMs = maxDelayMs;
  }

  /** Keeps `statements` (one asset's whole record) for the next commit. */
  add(statements: Sql): void {
    this.#pending.push(statements.text);
    // A commit that fails here keeps its records for the next one, which reports the failure.
    this.#timer ??= setTimeout(() => this.commit().catch(() => undefined), this.#maxDelayMs).unref();
  }

  /** Commits every pending record, then `statements` if given, in one transaction; resolves once they, and every earlier commit, are durable. */
  commit(statements?: Sql): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending.splice(0);
    const all = [...batch, ...(statements === undefined ? [] : [statements.text])];
    if (all.length === 0) return this.#latest;
    const sent = this.#connection.runInTransaction(all.join(';\n')).catch((error: unknown) => {
      // Kept for the next commit, which fails the run if it fails too.
      this.#pending.unshift(...batch);
      throw error;
    });
    this.#latest = sent;
    return sent;
  }
}
