/**
 * The warehouse: one DuckDB file holding every table asset, the stored values and the history.
 * One instance per command; the file is open only while the command runs, and a command that finds
 * it held by another process waits a bounded time, then gives up with `WarehouseBusyError`.
 * Opening brings the history schema up to this release and repairs what a process killed during a
 * swap left (a reader has a writer do both first); a warehouse of a newer release is refused, unchanged.
 * A writer first folds a write-ahead log left behind into the file, freeing the space it holds.
 * How the file is attached: `warehouse-attachment.ts`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DuckdbSettings } from './duckdb-settings.ts';
import { ConfigError, describeError, WarehouseBusyError, WarehouseError } from '../core/kernel/errors.ts';
import type { Sql } from '../core/kernel/sql.ts';
import { attachStatement, checkpointStatement, instanceOptions, useStatement } from './warehouse-attachment.ts';
import { checkNotNewer, latestSchemaVersion, migrateHistory, readSchemaVersion } from './history-migrator.ts';
import { hasPendingSwaps, repairPendingSwaps } from './partition-backup.ts';
import { describeOwner, lockHolderPid, removeOwnerNote, writeOwnerNote } from './warehouse-owner.ts';

export interface WarehouseOptions {
  /** Path of the DuckDB file. */
  readonly path: string;
  /** Writers create the file and the history schema; readers never change the file. */
  readonly access: 'read_write' | 'read_only';
  /** How long to wait for another process to let go of the file. */
  readonly lockTimeoutMs: number;
  /** What holds the file, as told to a process that has to wait for it. */
  readonly command: string;
  /** DuckDB's memory limit, threads and row group size for this command; unset, DuckDB's defaults. */
  readonly duckdb?: DuckdbSettings;
}

const lockPollMs = 100;

export class Warehouse {
  readonly path: string;
  readonly access: WarehouseOptions['access'];
  readonly #instance: DuckDBInstance;
  readonly #connections: DuckDBConnection[] = [];

  private constructor(options: WarehouseOptions, instance: DuckDBInstance) {
    this.path = options.path;
    this.access = options.access;
    this.#instance = instance;
  }

  /** Opens the file, waiting up to `lockTimeoutMs` while another process holds it. */
  static async open(options: WarehouseOptions): Promise<Warehouse> {
    if (options.access === 'read_only' && !existsSync(options.path)) {
      throw new ConfigError(
        'DUCKDAG_WAREHOUSE_MISSING',
        `warehouse ${options.path} does not exist yet; run \`duckdag materialize\` first`,
      );
    }
    if (options.access === 'read_write') mkdirSync(dirname(options.path), { recursive: true });
    const warehouse = new Warehouse(options, await openWithin(options));
    try {
      if (options.access === 'read_write') {
        writeOwnerNote(options.path, options.command);
        const connection = await warehouse.connect();
        await checkpointLeftoverLog(connection, options.path);
        await migrateHistory(connection, options.path);
        await repairPendingSwaps(connection);
        return warehouse;
      }
      const connection = await warehouse.connect();
      const current = await readSchemaVersion(connection);
      checkNotNewer(current, options.path);
      if (current.version === latestSchemaVersion && !(await hasPendingSwaps(connection))) return warehouse;
    } catch (error) {
      warehouse.close();
      throw error;
    }
    warehouse.close();
    (await Warehouse.open({ ...options, access: 'read_write' })).close();
    return Warehouse.open(options);
  }

  /** A new connection on the command's one instance, reading and writing the file; closed with the warehouse. */
  async connect(): Promise<DuckDBConnection> {
    const connection = await this.#instance.connect();
    this.#connections.push(connection);
    await connection.run(useStatement.text);
    return connection;
  }

  /** Closes one connection of this warehouse before the warehouse closes. */
  disconnect(connection: DuckDBConnection): void {
    const index = this.#connections.indexOf(connection);
    if (index === -1) return;
    this.#connections.splice(index, 1);
    connection.closeSync();
  }

  /** Closes every connection and the file, so other processes can open it. */
  close(): void {
    for (const connection of this.#connections.splice(0)) connection.closeSync();
    this.#instance.closeSync();
    if (this.access === 'read_write') removeOwnerNote(this.path);
  }
}

/**
 * A run that failed to commit for want of disk space can leave the log holding as much as it could
 * write, and the checkpoint at close failed for the same reason. Kept, the log is replayed and grown
 * by the next run, which then runs out of space too; checkpointed now, the space is free again.
 */
async function checkpointLeftoverLog(connection: DuckDBConnection, path: string): Promise<void> {
  if (!existsSync(`${path}.wal`)) return;
  try {
    await connection.run(checkpointStatement.text);
  } catch (error) {
    throw new WarehouseError(
      'DUCKDAG_WAREHOUSE_CHECKPOINT_FAILED',
      `cannot write the write-ahead log ${path}.wal into the warehouse: ${describeError(error)}. ` +
        'The warehouse is unchanged; free some disk space and run the command again.',
      { cause: error },
    );
  }
}

async function openWithin(options: WarehouseOptions): Promise<DuckDBInstance> {
  const settings = options.duckdb ?? {};
  const instance = await DuckDBInstance.create(':memory:', instanceOptions(options.path, settings));
  const statement = attachStatement(options.path, options.access, settings);
  try {
    const connection = await instance.connect();
    try {
      await attachWithin(connection, statement, options);
    } finally {
      connection.closeSync();
    }
    return instance;
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

async function attachWithin(connection: DuckDBConnection, attach: Sql, options: WarehouseOptions): Promise<void> {
  const deadline = Date.now() + options.lockTimeoutMs;
  for (;;) {
    try {
      await connection.run(attach.text);
      return;
    } catch (error) {
      const pid = lockHolderPid(error);
      if (pid === null) {
        throw new ConfigError('DUCKDAG_WAREHOUSE_UNREADABLE', `cannot open warehouse ${options.path}: ${describeError(error)}`, {
          cause: error,
        });
      }
      if (Date.now() >= deadline) {
        throw new WarehouseBusyError(
          `warehouse busy: held by ${describeOwner(options.path, pid)}; waited ${options.lockTimeoutMs} ms for ${options.path}. ` +
            'Try again when that command has finished, or wait longer with --lock-timeout.',
          { cause: error },
        );
      }
      await sleep(lockPollMs);
    }
  }
}
