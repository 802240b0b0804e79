/**
 * What an asset is: a named, described node of the graph with typed references to its upstream
 * assets, and the code that materializes it. `sqlAsset`, `tableAsset` and `valueAsset` build these.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { DailyPartitions } from './daily-partitions.ts';
import type { ResolvedRetryPolicy, RetryPolicy } from './retry-policy.ts';
import type { Sql, SqlValue } from './sql.ts';

/** What a downstream asset does when one of its upstream assets is empty. */
export const UpstreamEmptyPolicy = { skip: 'skip', run: 'run' } as const;
export type UpstreamEmptyPolicy = (typeof UpstreamEmptyPolicy)[keyof typeof UpstreamEmptyPolicy];

/** A table asset stored as rows; a value asset as one JSON value. */
export const AssetKind = { table: 'table', value: 'value' } as const;
export type AssetKind = (typeof AssetKind)[keyof typeof AssetKind];

/** A reference to an upstream table asset, usable anywhere in a `sql` template. */
export interface TableRef extends Sql {
  /** The table's name in the warehouse. */
  readonly name: string;
  /**
   * The rows of the run's partition, as a parenthesised subquery, when the upstream is partitioned;
   * the whole table otherwise.
   */
  readonly partition: Sql;
}

/** Fields every asset definition shares. */
export interface AssetSpec<D extends AssetDeps> {
  /** snake_case, unique in the project; a table asset is the warehouse table of this name. */
  readonly name: string;
  /** Upstream assets, by reference. Their keys name the inputs handed to the asset's code. */
  readonly deps?: D;
  readonly description?: string;
  /** @default 'default' */
  readonly group?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly retry?: RetryPolicy;
  readonly partitions?: DailyPartitions;
  /** @default 'skip' */
  readonly onUpstreamEmpty?: UpstreamEmptyPolicy;
}

/** Extra facts an asset's code reports about a materialization; stored as JSON in its history. */
export type AssetMetadata = Readonly<Record<string, unknown>>;

/** Logs a line attributed to the running asset. */
export type AssetLogger = (message: string) => void;

/** What the code of any asset is handed. */
export interface AssetExecutionContext {
  readonly asset: string;
  readonly runId: string;
  /** The run's partition for a partitioned asset, `null` otherwise. */
  readonly partitionKey: string | null;
  /** The run was asked to redo side effects already done for this partition (`--force`). */
  readonly force: boolean;
  /** 1 on the first try, then 2, 3… under a retry policy. */
  readonly attempt: number;
  /** Aborted when the run is interrupted. */
  readonly signal: AbortSignal;
  readonly log: AssetLogger;
  /** Adds facts to this materialization's metadata in the history (merged, later keys win). */
  addMetadata(entries: AssetMetadata): void;
  /** Runs a statement in the warehouse, inside the asset's transaction. */
  execute(statement: Sql): Promise<void>;
  /** Reads rows, with values converted to JSON-friendly JS (BIGINT and DECIMAL as numbers). */
  query<Row = Record<string, unknown>>(statement: Sql): Promise<Row[]>;
}

/** The staging table a table asset writes; it replaces the asset's data only if the code succeeds. */
export interface TableOutput {
  /** The staging table, for statements of the asset's own (`INSERT INTO ${ctx.output.table} …`). */
  readonly table: Sql;
  /** Creates the staging table from a query. */
  createAs(query: Sql): Promise<void>;
  /** Creates the staging table empty with these columns, e.g. `{ id: 'VARCHAR', price: 'DOUBLE' }`. */
  create(columns: Readonly<Record<string, string>>): Promise<void>;
  /** DuckDB's appender on the staging table (create it first); closed by duckdag if left open. */
  appender(): Promise<DuckDBAppender>;
}

export interface TableAssetContext extends AssetExecutionContext {
  readonly output: TableOutput;
}

export interface ValueAssetContext<T = unknown> extends AssetExecutionContext {
  /** The value stored for this partition by an earlier run, or `null`; e.g. a receipt of a side effect. */
  previousValue(): Promise<T | null>;
}

/** Upstream assets by input name. */
export type AssetDeps = Readonly<Record<string, AnyAssetDefinition>>;

/** What one upstream asset is handed as: a table reference, or the stored value. */
export type InputOf<A, P extends UpstreamEmptyPolicy> =
  A extends ValueAssetDefinition<infer T> ? (P extends 'run' ? T | null : T) : TableRef;

/** The inputs of an asset whose deps are `D`. */
export type AssetInputs<D extends AssetDeps, P extends UpstreamEmptyPolicy = 'skip'> = {
  readonly [K in keyof D]: InputOf<D[K], P>;
};

/** The part of a definition the framework runs. Its inputs are resolved by name by the executor. */
export interface BaseAssetDefinition {
  readonly name: string;
  readonly kind: AssetKind;
  /** Upstream assets, keyed by input name. */
  readonly deps: AssetDeps;
  readonly description: string;
  readonly group: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly retry: ResolvedRetryPolicy;
  readonly partitions: DailyPartitions | null;
  readonly onUpstreamEmpty: UpstreamEmptyPolicy;
  /** `sql` for SQL assets, `function` for code. */
  readonly compute: 'sql' | 'function';
}

export interface TableAssetDefinition extends BaseAssetDefinition {
  readonly kind: 'table';
  readonly materialize: (
    inputs: Readonly<Record<string, unknown>>,
    context: TableAssetContext,
  ) => Promise<void>;
}

export interface ValueAssetDefinition<T = unknown> extends BaseAssetDefinition {
  readonly kind: 'value';
  readonly materialize: (
    inputs: Readonly<Record<string, unknown>>,
    context: ValueAssetContext<T>,
  ) => Promise<T | null>;
  /** Phantom: the stored value's type, for typed inputs downstream. */
  readonly __value?: T;
}

export type AnyAssetDefinition = TableAssetDefinition | ValueAssetDefinition<any>;

/** Values a `sql` template can take, re-exported for asset authors. */
export type { SqlValue };
