/**
 * Commits that may wait, and commit together, in one transaction on a connection of their own.
 *
 * Records wait here instead of paying a commit of their own: the record (value and history row) of
 * a value asset that declares no resources and whose code sends no statement — a pure computation
 * nothing outside the run has seen — and the history rows of assets that did not materialize. And
 * SQL assets share the transaction itself (`join`): an asset whose kind says its statements can be
 * sent again (an unpartitioned SQL asset: its one query) and that declares no resources runs them
 * in the open transaction, and its history row waits with the records. At the commit, every
 * history row goes in one multi-row insert, and every stored value in one delete and one insert. Everything pending commits at once, so a crash loses
 * whole assets, the latest ones, never part of one, and never an asset without what it was built from.
 *
 * A failing statement aborts a DuckDB transaction, which has no savepoints: when an asset that
 * joined fails (or a blocking check stops it), the transaction is rolled back and the statements
 * of the assets that joined before it are sent again in a new one, so its failure costs them
 * nothing. It is recorded as it would be alone.
 *
 * Everything pending is committed before anything could depend on its being durable: before the
 * code of an asset that declares resources starts (resources are how code reaches outside the run:
 * an email, an API), before the first statement of an asset that does not join and reads an asset
 * still pending, at the run's start and end, and once the oldest has waited `maxDelayMs` (so a long
 * step does not hold the ones before it back).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sql } from '../core/kernel/sql.ts';
import { materializationInsert, type MaterializationRecord } from './run-history.ts';
import { valuesReplace, type StoredValue } from './value-store.ts';

/** How long a record may wait for a commit, at most. */
export const deferredCommitMaxDelayMs = 1000;

/** One asset's record: statements (none for a history row alone), stored values and history rows, committed together. */
interface PendingRecord {
  readonly statements: string | null;
  readonly values: readonly StoredValue[];
  readonly history: readonly MaterializationRecord[];
}

/** An asset that ran its statements in the open transaction, and its record. */
interface Member extends PendingRecord {
  /** What it sent, to send again after a rollback. */
  readonly sent: string;
}

export class DeferredCommits {
  readonly #connection: DuckDBConnection;
  readonly #maxDelayMs: number;
  #records: PendingRecord[] = [];
  #members: Member[] = [];
  /** Assets with a record or statements pending and not yet in a commit. */
  #pendingAssets = new Set<string>();
  /** Whether the shared transaction is open on the connection. */
  #open = false;
  /** Attempts that joined and have not finished. */
  #joined = 0;
  #timer: NodeJS.Timeout | null = null;
  /** When the oldest pending record was made, or the shared transaction opened (ms since the epoch). */
  #since: number | null = null;
  /** Each use of the connection waits for the one before. */
  #tail: Promise<void> = Promise.resolve();
  /** The latest commit sent, which runs after every earlier one. */
  #latest: Promise<void> = Promise.resolve();

  constructor(connection: DuckDBConnection, maxDelayMs = deferredCommitMaxDelayMs) {
    this.#connection = connection;
    this.#maxDelayMs = maxDelayMs;
  }

  /** Keeps `statements`, `values` and `history` (one asset's whole record) for the next commit. */
  add(statements: Sql | null, history: readonly MaterializationRecord[], values: readonly StoredValue[] = []): void {
    this.#keep({ statements: statements?.text ?? null, values, history });
  }

  /**
   * An attempt that runs its statements in the shared transaction, or `null` when it should run
   * alone: when another joined attempt holds the connection and none of `upstream` (the asset's
   * upstream assets) is pending — it then need not wait, and runs beside it.
   */
  join(upstream: readonly string[]): SharedAttempt | null {
    if (this.#joined > 0 && !this.#anyPending(upstream)) return null;
    this.#joined += 1;
    return new SharedAttempt(this.#connection, {
      acquire: () => this.#acquire(),
      open: async () => {
        if (this.#open) return;
        await this.#connection.run('BEGIN TRANSACTION');
        this.#open = true;
        this.#since ??= Date.now();
      },
      keep: (member) => this.#keep(member),
      restart: () => this.#restart(),
      finish: () => {
        this.#joined -= 1;
      },
    });
  }

  /** Commits if one of `assets` is pending; resolves once they are durable. */
  async commitIfPending(assets: readonly string[]): Promise<void> {
    if (this.#anyPending(assets)) return this.commit();
    // A commit on its way may hold them: once it is done, or failed and left them pending again, they are durable or committed now.
    await this.#latest.catch(() => undefined);
    if (this.#anyPending(assets)) await this.commit();
  }

  /** Commits everything pending, then `statements` if given, in one transaction; resolves once they, and every earlier commit, are durable. */
  commit(statements?: Sql): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const sent = this.#exclusive(async () => {
      const records = this.#records.splice(0);
      const members = this.#members.splice(0);
      this.#pendingAssets.clear();
      this.#since = null;
      const all = [...members, ...records];
      const values = all.flatMap((record) => record.values);
      const history = all.flatMap((record) => record.history);
      const texts = [
        ...all.flatMap((record) => (record.statements === null ? [] : [record.statements])),
        ...(values.length === 0 ? [] : [valuesReplace(values).text]),
        ...(history.length === 0 ? [] : [materializationInsert(history).text]),
        ...(statements === undefined ? [] : [statements.text]),
      ];
      if (texts.length === 0 && !this.#open) return;
      try {
        await this.#connection.run(`${this.#open ? '' : 'BEGIN TRANSACTION;\n'}${texts.map((text) => `${text};\n`).join('')}COMMIT`);
        this.#open = false;
      } catch (error) {
        await this.#rollback();
        // Kept for the next commit, which fails the run if it fails too; the members' statements go with it.
        for (const record of [...members.map(asRecord), ...records].reverse()) this.#unshift(record);
        throw error;
      }
    });
    this.#latest = sent;
    return sent;
  }

  #keep(record: PendingRecord | Member): void {
    if ('sent' in record) this.#members.push(record);
    else this.#records.push(record);
    for (const row of record.history) this.#pendingAssets.add(row.asset);
    this.#since ??= Date.now();
    // A commit that fails here keeps its records for the next one, which reports the failure.
    this.#timer ??= setTimeout(() => this.commit().catch(() => undefined), Math.max(0, this.#since + this.#maxDelayMs - Date.now())).unref();
  }

  #unshift(record: PendingRecord): void {
    this.#records.unshift(record);
    for (const row of record.history) this.#pendingAssets.add(row.asset);
  }

  #anyPending(assets: readonly string[]): boolean {
    return assets.some((asset) => this.#pendingAssets.has(asset));
  }

  /** After a failure inside the shared transaction: rolls it back and sends the members' statements again in a new one. */
  async #restart(): Promise<void> {
    await this.#rollback();
    if (this.#members.length === 0) return;
    try {
      await this.#connection.run(`BEGIN TRANSACTION;\n${this.#members.map((member) => member.sent).join(';\n')}`);
      this.#open = true;
    } catch {
      await this.#rollback();
      // Their tables went with the transaction: their statements wait for the next commit, which fails the run if they fail again.
      for (const member of this.#members.splice(0).reverse()) this.#records.unshift(asRecord(member));
    }
  }

  async #rollback(): Promise<void> {
    await this.#connection.run('ROLLBACK').catch(() => undefined);
    this.#open = false;
  }

  /** Waits for the connection; resolves with the function that lets the next use have it. */
  #acquire(): Promise<() => void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(() => release);
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** A member's statements, sent again, followed by its record. */
function asRecord(member: Member): PendingRecord {
  return { ...member, statements: member.statements === null ? member.sent : `${member.sent};\n${member.statements}` };
}

/** What a shared attempt needs of the commits it joined. */
interface SharedCommits {
  acquire(): Promise<() => void>;
  /** Opens the shared transaction, unless it is open. */
  open(): Promise<void>;
  keep(record: PendingRecord | Member): void;
  restart(): Promise<void>;
  finish(): void;
}

/**
 * One attempt inside the shared transaction: it holds the connection from its first statement to
 * its end, and remembers what it sent.
 */
export class SharedAttempt {
  readonly connection: DuckDBConnection;
  readonly #commits: SharedCommits;
  readonly #sent: string[] = [];
  #release: (() => void) | null = null;
  #ended = false;

  constructor(connection: DuckDBConnection, commits: SharedCommits) {
    this.connection = connection;
    this.#commits = commits;
  }

  /** Waits for the connection and the open transaction; before the attempt's first statement. */
  async begin(): Promise<void> {
    this.#release ??= await this.#commits.acquire();
    await this.#commits.open();
  }

  /** Notes statements about to be sent in the transaction. */
  sent(statements: string): void {
    this.#sent.push(statements);
  }

  /** The attempt succeeded: what it sent stays in the transaction, and its record waits for the commit. */
  done(statements: Sql | null, history: readonly MaterializationRecord[]): void {
    const record = { statements: statements?.text ?? null, values: [], history };
    this.#commits.keep(this.#sent.length === 0 ? record : { ...record, sent: this.#sent.join(';\n') });
    this.#end();
  }

  /** The attempt failed: whatever it sent is undone, and the assets before it are as they were. */
  async abandon(): Promise<void> {
    if (this.#ended) return;
    try {
      if (this.#sent.length > 0) await this.#commits.restart();
    } finally {
      this.#end();
    }
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release?.();
    this.#commits.finish();
  }
}
