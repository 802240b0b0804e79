/**
 * An asset kind: how assets of one kind are materialized, stored and read by their downstream
 * assets. `table` and `value` are the built-in registrations; a project registers more through its
 * config (`kinds`), each one file, with no change to duckdag.
 */
import type { AnyAssetsDefinition, AssetExecutionContext, AssetMetadata } from '../core/kernel/asset-definition.ts';
import type { Sql } from '../core/kernel/sql.ts';
import type { AttemptOutcome, AttemptSpec, LoadedAsset } from '../core/runtime/asset-store.ts';
import type { AssetTransaction } from './asset-transaction.ts';
import type { CheckedRows } from './check-runner.ts';
import type { StatementReader } from './statement-reader.ts';
import type { StoredValue } from './value-store.ts';

/** One attempt, as a kind sees it. */
export interface KindAttempt {
  readonly spec: AttemptSpec;
  /** The asset's transaction: everything the kind and the asset's code do joins it. */
  readonly transaction: AssetTransaction;
  /** The context for the asset's code (kinds add their own parts to it). */
  readonly context: AssetExecutionContext<any>;
  /** What the code added with `context.addMetadata` so far. */
  metadata(): AssetMetadata;
  /** Commits statements at once in a transaction of their own, beside the asset's. */
  commitAside(statements: Sql): Promise<void>;
  /** Statements to commit beside the asset's transaction once it has committed or rolled back. */
  afterAttempt(statements: Sql): void;
}

/** An attempt's outcome, and the statements that store it, sent with the commit in one round trip. */
export interface StagedResult {
  readonly outcome: Omit<AttemptOutcome, 'checks'>;
  readonly statements: Sql;
  /**
   * A value to store in `duckdag.asset_values`, replacing the asset partition's (the value kind's
   * result): stored with the record, with those of other records in one statement when they wait together.
   */
  readonly value?: StoredValue;
  /** The staged rows, for the asset's checks to run on before `statements` store them; kinds without rows leave it out. */
  readonly checkable?: CheckedRows;
}

export interface AssetKind<D extends AnyAssetsDefinition = any> {
  /** The `kind` its definitions carry. */
  readonly name: string;
  /** How graphs draw it: as rows of a table, or as one document. */
  readonly shape: 'table' | 'document';
  /**
   * Whether an attempt sends only statements that may be sent again, to the same effect, and
   * nothing else (no appender, no side effect): it may then share a transaction with other assets'
   * attempts (see deferred-commits.ts), and is sent again if one of them fails. Left out: never.
   */
  sharesTransaction?(asset: D): boolean;
  /** Runs the asset's code for one attempt inside the transaction and stages its result. */
  stage(asset: D, attempt: KindAttempt): Promise<StagedResult>;
  /** The stored asset, read back for a downstream asset. */
  load(asset: D, partitionKey: string | null, reader: StatementReader): Promise<LoadedAsset>;
}

/** Types a kind; returns it unchanged. */
export function defineAssetKind<D extends AnyAssetsDefinition>(kind: AssetKind<D>): AssetKind<D> {
  return kind;
}
