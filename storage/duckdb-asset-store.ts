/**
 * The runtime's `AssetStore` on the warehouse: attempts run on pooled connections of the command's
 * one DuckDB instance (interrupted when the run is cancelled), or, for an asset whose kind allows
 * it, in the transaction shared with others on the connection of `deferred-commits.ts`; each
 * asset's kind decides how it is staged and read, and the history is kept on a connection of its own.
 */
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { joinSql, sql, type Sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import {
  holdingKey,
  type AssetPartition,
  type AssetStore,
  type AttemptOutcome,
  type AttemptSpec,
  type LoadedAsset,
  type StoredCheckSpec,
} from '../core/runtime/asset-store.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';
import type { AssetKinds } from './asset-kinds.ts';
import { checkStoredRows } from './check-stored-rows.ts';
import { DeferredCommits } from './deferred-commits.ts';
import { materializeAttempt } from './materialize-attempt.ts';
import { DuckdbRunHistory } from './run-history.ts';
import { SerialConnection } from './serial-connection.ts';
import { connectionReader } from './statement-reader.ts';
import type { Warehouse } from './warehouse.ts';

export class DuckdbAssetStore implements AssetStore {
  readonly history: DuckdbRunHistory;
  readonly #warehouse: Warehouse;
  readonly #kinds: AssetKinds;
  /** Reads of what the warehouse holds, and commits beside an asset's transaction. */
  readonly #control: SerialConnection;
  /** The history, the records that wait for a commit shared with others, and the transaction they share (see deferred-commits.ts). */
  readonly #deferred: DeferredCommits;
  readonly #idle: DuckDBConnection[] = [];

  private constructor(warehouse: Warehouse, kinds: AssetKinds, control: SerialConnection, deferred: DeferredCommits) {
    this.#warehouse = warehouse;
    this.#kinds = kinds;
    this.#control = control;
    this.#deferred = deferred;
    this.history = new DuckdbRunHistory(this.#deferred);
  }

  /** A store on an open warehouse; its connections close with the warehouse. */
  static async open(warehouse: Warehouse, kinds: AssetKinds): Promise<DuckdbAssetStore> {
    return new DuckdbAssetStore(warehouse, kinds, new SerialConnection(await warehouse.connect()), new DeferredCommits(await warehouse.connect()));
  }

  async holdings(wanted: readonly AssetPartition[]): Promise<ReadonlySet<string>> {
    if (wanted.length === 0) return new Set();
    return heldKeys(await this.#control.read(holdingsQuery(wanted).text));
  }

  async latestOutcomes(wanted: readonly AssetPartition[]): Promise<ReadonlyMap<string, MaterializationStatus>> {
    if (wanted.length === 0) return new Map();
    const reader = await this.#control.read(
      sql`SELECT m.asset, m.partition_key, m.status
          FROM duckdag.materializations m JOIN (VALUES ${wantedPairs(wanted)}) AS wanted(asset, partition_key)
            ON m.asset = wanted.asset AND m.partition_key IS NOT DISTINCT FROM wanted.partition_key
          QUALIFY row_number() OVER (PARTITION BY m.asset, m.partition_key ORDER BY m.finished_at DESC) = 1`.text,
    );
    return new Map(reader.getRows().map(([asset, partitionKey, status]) => [heldKey(asset, partitionKey), String(status) as MaterializationStatus]));
  }

  load(asset: AnyAssetsDefinition, partitionKey: string | null): Promise<LoadedAsset> {
    return this.#withConnection((connection) => this.#kinds.of(asset).load(asset, partitionKey, connectionReader(connection)));
  }

  materialize(asset: AnyAssetsDefinition, spec: AttemptSpec): Promise<AttemptOutcome> {
    const kind = this.#kinds.of(asset);
    const shared =
      asset.resourceKeys.length === 0 && kind.sharesTransaction?.(asset) === true ? this.#deferred.join(Object.values(asset.deps).map((dep) => dep.name)) : null;
    if (shared === null) {
      return this.#interruptible(spec.signal, (connection) => materializeAttempt(kind, asset, spec, connection, this.#control, this.#deferred, null));
    }
    return interruptingOn(shared.connection, spec.signal, () => materializeAttempt(kind, asset, spec, shared.connection, this.#control, this.#deferred, shared));
  }

  checkStored(asset: AnyAssetsDefinition, spec: StoredCheckSpec): Promise<readonly CheckResult[]> {
    return this.#interruptible(spec.signal, (connection) => checkStoredRows(this.#kinds.of(asset), asset, spec, connection));
  }

  /** Work on a pooled connection whose running statement is interrupted when `signal` aborts. */
  #interruptible<T>(signal: AbortSignal, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.#withConnection((connection) => interruptingOn(connection, signal, () => work(connection)));
  }

  async #withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.#idle.pop() ?? (await this.#warehouse.connect());
    try {
      return await work(connection);
    } finally {
      this.#idle.push(connection);
    }
  }
}

/** Runs `work`, interrupting the statement running on `connection` when `signal` aborts. */
async function interruptingOn<T>(connection: DuckDBConnection, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const interrupt = () => connection.interrupt();
  signal.addEventListener('abort', interrupt);
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', interrupt);
  }
}

/** Which of `wanted` (not empty) the warehouse holds materialized: rows of asset and partition key. */
export function holdingsQuery(wanted: readonly AssetPartition[]): Sql {
  return sql`SELECT DISTINCT m.asset, m.partition_key
      FROM duckdag.materializations m JOIN (VALUES ${wantedPairs(wanted)}) AS wanted(asset, partition_key)
        ON m.asset = wanted.asset AND m.partition_key IS NOT DISTINCT FROM wanted.partition_key
      WHERE m.status = ${MaterializationStatus.materialized}`;
}

/** The `holdingKey`s of the rows of `holdingsQuery`. */
export function heldKeys(reader: DuckDBResultReader): Set<string> {
  return new Set(reader.getRows().map(([asset, partitionKey]) => heldKey(asset, partitionKey)));
}

function wantedPairs(wanted: readonly AssetPartition[]): Sql {
  return joinSql(wanted.map((held) => sql`(${held.asset}, ${held.partitionKey})`));
}

function heldKey(asset: unknown, partitionKey: unknown): string {
  return holdingKey({ asset: String(asset), partitionKey: partitionKey === null ? null : String(partitionKey) });
}
