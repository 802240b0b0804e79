/**
 * Who uses the warehouse inside `duckdag serve`. DuckDB lets one process write a file, and a
 * process must not open it twice, so every use goes through here: one writer at a time (a
 * schedule's tick, a run launched from the web UI) holds it open for writing; a reader (a page of
 * the web UI) reads through the writer's instance while there is one, and otherwise through a
 * read-only instance kept open only while pages read (and `lingerMs` after), so other processes
 * (`duckdag status`, `runs`, `query`, `materialize`) can open the file between runs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { WarehouseBusyError } from '../core/kernel/errors.ts';
import type { WarehouseSession } from '../core/runtime/tick-store.ts';
import type { AssetKinds } from './asset-kinds.ts';
import { Warehouse, type WarehouseOptions } from './warehouse.ts';
import { sessionOn } from './warehouse-session.ts';

/** A connection handed to a reader: opaque above storage, which alone reads through it. */
export type WarehouseConnection = DuckDBConnection;

export interface WarehouseAccessOptions {
  readonly warehouse: Omit<WarehouseOptions, 'access' | 'command'>;
  readonly kinds: AssetKinds;
  /** How long a reader waits for another process to let go of the file. @default 1000 */
  readonly readLockTimeoutMs?: number;
  /** How long the read-only instance stays open after its last reader. @default 500 */
  readonly lingerMs?: number;
}

/** An open instance and the readers using it. */
interface Holder {
  readonly warehouse: Warehouse;
  readonly writer: string | null;
  users: number;
  drained: (() => void) | null;
  closeTimer: NodeJS.Timeout | null;
}

export class WarehouseAccess {
  readonly #options: WarehouseAccessOptions;
  /** Opening and closing instances, one change at a time. */
  #gate: Promise<unknown> = Promise.resolve();
  /** Writers, one after another. */
  #writers: Promise<unknown> = Promise.resolve();
  #writer: Holder | null = null;
  #reader: Holder | null = null;
  #waitingWriters: string[] = [];
  /** Instances of their own (`readAlone`) still open: each resolves when closed. */
  readonly #alone = new Set<Promise<void>>();

  constructor(options: WarehouseAccessOptions) {
    this.#options = options;
  }

  /** What writes the warehouse now or waits to (`null`: nothing). */
  get writer(): string | null {
    return this.#writer?.writer ?? this.#waitingWriters[0] ?? null;
  }

  /**
   * Runs `work` on a new connection to the warehouse: the writer's instance during a run, else the
   * shared read-only one. Rejects with `ConfigError` when the warehouse does not exist yet.
   */
  async read<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const holder = await this.#locked(async () => {
      const current = this.#writer ?? this.#reader ?? (this.#reader = await this.#openReader());
      current.users += 1;
      if (current.closeTimer !== null) clearTimeout(current.closeTimer);
      current.closeTimer = null;
      return current;
    });
    const connection = await holder.warehouse.connect().catch((error: unknown) => {
      this.#release(holder);
      throw error;
    });
    try {
      return await work(connection);
    } finally {
      holder.warehouse.disconnect(connection);
      this.#release(holder);
    }
  }

  /**
   * Runs `work` on an instance of its own, read-only, closed afterwards: for a statement that locks
   * its instance's configuration (a person's query). Refused while a run writes the warehouse.
   */
  async readAlone<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    let done!: () => void;
    const closed = new Promise<void>((resolve) => (done = resolve));
    const warehouse = await this.#locked(async () => {
      if (this.#writer !== null) {
        throw new WarehouseBusyError(`the warehouse is being written by ${this.#writer.writer}; try again when it has finished`);
      }
      const opened = await this.#open('read_only', 'duckdag serve (query)');
      this.#alone.add(closed);
      return opened;
    });
    try {
      return await work(await warehouse.connect());
    } finally {
      warehouse.close();
      this.#alone.delete(closed);
      done();
    }
  }

  /**
   * Opens the warehouse for writing once the writer before has finished and the readers have let
   * go; closing the session hands it to the next writer. `label` says who writes, to the UI.
   */
  openSession(label: string): Promise<WarehouseSession> {
    this.#waitingWriters.push(label);
    let finished!: () => void;
    const previous = this.#writers;
    this.#writers = new Promise<void>((resolve) => (finished = resolve));
    const leave = () => this.#waitingWriters.splice(this.#waitingWriters.indexOf(label), 1);
    return previous.then(() =>
      this.#locked(async () => {
        try {
          if (this.#reader !== null) await this.#closeHolder(this.#reader);
          this.#reader = null;
          await Promise.all(this.#alone);
          const warehouse = await this.#open('read_write', 'duckdag serve');
          const holder: Holder = { warehouse, writer: label, users: 0, drained: null, closeTimer: null };
          const session = await sessionOn(warehouse, this.#options.kinds);
          this.#writer = holder;
          leave();
          return {
            ...session,
            close: () => {
              void this.#locked(async () => {
                this.#writer = null;
                await this.#closeHolder(holder);
              }).finally(finished);
            },
          };
        } catch (error) {
          leave();
          finished();
          throw error;
        }
      }),
    );
  }

  /** Waits for the writer and the readers to finish, and closes the warehouse. */
  async close(): Promise<void> {
    await this.#writers;
    await this.#locked(async () => {
      if (this.#reader !== null) await this.#closeHolder(this.#reader);
      this.#reader = null;
    });
  }

  #locked<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#gate.then(change);
    this.#gate = result.catch(() => undefined);
    return result;
  }

  async #openReader(): Promise<Holder> {
    const warehouse = await this.#open('read_only', 'duckdag serve (web UI)');
    return { warehouse, writer: null, users: 0, drained: null, closeTimer: null };
  }

  #open(access: 'read_only' | 'read_write', command: string): Promise<Warehouse> {
    const { warehouse, readLockTimeoutMs = 1000 } = this.#options;
    return Warehouse.open({ ...warehouse, access, command, lockTimeoutMs: access === 'read_only' ? readLockTimeoutMs : warehouse.lockTimeoutMs });
  }

  #release(holder: Holder): void {
    holder.users -= 1;
    if (holder.users > 0) return;
    holder.drained?.();
    if (holder === this.#reader) {
      holder.closeTimer = setTimeout(() => {
        void this.#locked(async () => {
          if (this.#reader !== holder || holder.users > 0) return;
          this.#reader = null;
          await this.#closeHolder(holder);
        });
      }, this.#options.lingerMs ?? 500).unref();
    }
  }

  /** Closes the holder's instance once its readers have finished. */
  async #closeHolder(holder: Holder): Promise<void> {
    if (holder.closeTimer !== null) clearTimeout(holder.closeTimer);
    holder.closeTimer = null;
    if (holder.users > 0) await new Promise<void>((resolve) => (holder.drained = resolve));
    holder.warehouse.close();
  }
}
