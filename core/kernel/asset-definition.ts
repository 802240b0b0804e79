/**
 * What an asset is: a named, described node of the graph with typed references to its upstream
 * assets, the resources it needs, and the code that materializes it. The definition is plain data;
 * its kind (`table`, `value`, or one a project registers) decides how it is materialized, stored
 * and read downstream. `sqlAsset`, `tableAsset` and `valueAsset` build the built-in kinds.
 */
import type { AssetCheck, AssetCheckSpec } from './asset-check.ts';
import type { DailyPartitions } from './daily-partitions.ts';
import type { PartitionOffsetDep } from './partition-mapping.ts';
import type { ResourcesOf, ResourceTypes } from './resources.ts';
import type { ResolvedRetryPolicy, RetryPolicy } from './retry-policy.ts';
import type { Sql, SqlValue } from './sql.ts';

/** What a downstream asset does when one of its upstream assets is empty. */
export const UpstreamEmptyPolicy = { skip: 'skip', run: 'run' } as const;
export type UpstreamEmptyPolicy = (typeof UpstreamEmptyPolicy)[keyof typeof UpstreamEmptyPolicy];

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

/** Fields every asset definition shares, as written. */
export interface AssetSpec<D extends AssetDeps, R extends ResourceTypes = {}> {
  /** snake_case, unique in the project; a table asset is the warehouse table of this name. */
  readonly name: string;
  /** Upstream assets, by reference. Their keys name the inputs handed to the asset's code. */
  readonly deps?: D;
  /** Resources the asset's code uses, by key: `{ mail }` with `mail = resource<MailTransport>()`. */
  readonly resources?: R;
  readonly description?: string;
  /** @default 'default' */
  readonly group?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly retry?: RetryPolicy;
  readonly partitions?: DailyPartitions;
  /** @default 'skip' */
  readonly onUpstreamEmpty?: UpstreamEmptyPolicy;
  /**
   * Data-quality rules run on the asset's new rows before they replace its data (table assets):
   * `[unique('id'), notNull('price', { maxFailingShare: 0.02 }), sqlCheck({ … })]`.
   */
  readonly checks?: readonly AssetCheckSpec<ResourcesOf<R>>[];
}

/** Extra facts an asset's code reports about a materialization; stored as JSON in its history. */
export type AssetMetadata = Readonly<Record<string, unknown>>;

/** Logs a line attributed to the running asset. */
export type AssetLogger = (message: string) => void;

/** What the code of any asset is handed. */
export interface AssetExecutionContext<R = {}> {
  readonly asset: string;
  readonly runId: string;
  /** The run's partition for a partitioned asset, `null` otherwise. */
  readonly partitionKey: string | null;
  /** The run was asked to redo side effects already done for this partition (`--force`). */
  readonly force: boolean;
  /** 1 on the first try, then 2, 3… under a retry policy. */
  readonly attempt: number;
  /**
   * Aborted when the run is cancelled: pass it to `fetch`, mail transports and anything else that
   * waits, and start no side effect once it is aborted.
   */
  readonly signal: AbortSignal;
  /** The resources the asset declared, as the config provides them. */
  readonly resources: R;
  readonly log: AssetLogger;
  /** Adds facts to this materialization's metadata in the history (merged, later keys win). */
  addMetadata(entries: AssetMetadata): void;
  /** Runs a statement in the warehouse, inside the asset's transaction. */
  execute(statement: Sql): Promise<void>;
  /** Reads rows, with values converted to JSON-friendly JS (BIGINT and DECIMAL as numbers). */
  query<Row = Record<string, unknown>>(statement: Sql): Promise<Row[]>;
}

/** A value the row appender takes; it is converted to the column's type. */
export type AppendValue = string | number | bigint | boolean | null;

/** Appends rows to the staging table, fast: DuckDB's appender underneath. */
export interface RowAppender {
  /** Appends one row, its values in the table's column order. */
  appendRow(values: readonly AppendValue[]): void;
  /** Writes the rows appended so far into the staging table. */
  flush(): void;
}

/** The staging table a table asset writes; it replaces the asset's data only if the code succeeds. */
export interface TableOutput {
  /** The staging table, for statements of the asset's own (`INSERT INTO ${ctx.output.table} …`). */
  readonly table: Sql;
  /**
   * Creates the staging table from a query. With `columns` (as for `create`), the table is created
   * with them first and the query's rows are inserted by name: a column the query lacks stays NULL.
   */
  createAs(query: Sql, columns?: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Creates the staging table empty with these columns, e.g. `{ id: 'VARCHAR', price: 'DOUBLE' }`; a
   * type may carry DuckDB's column options, e.g. `'JSON USING COMPRESSION zstd'`.
   */
  create(columns: Readonly<Record<string, string>>): Promise<void>;
  /** An appender on the staging table (create it first); flushed and closed by duckdag if left open. */
  appender(): Promise<RowAppender>;
}

export interface TableAssetContext<R = {}> extends AssetExecutionContext<R> {
  readonly output: TableOutput;
}

export interface ValueAssetContext<T = unknown, R = {}> extends AssetExecutionContext<R> {
  /** The value stored for this partition by an earlier run, or `null`; e.g. a receipt of a side effect. */
  previousValue(): Promise<T | null>;
}

/** Upstream assets by input name, as written: an asset, or another partition of one (`previousPartition`). */
export type AssetDeps = Readonly<Record<string, AnyAssetsDefinition | PartitionOffsetDep>>;

/** Upstream assets by input name, as resolved. */
export type UpstreamAssets = Readonly<Record<string, AnyAssetsDefinition>>;

/**
 * What one upstream is handed as: the input of its kind, or its empty input under `run`; another
 * partition of it, or `null` when the warehouse does not hold that partition.
 */
export type InputOf<A, P extends UpstreamEmptyPolicy> =
  A extends PartitionOffsetDep<infer D>
    ? (D extends AssetsDefinition<infer I, infer E> ? I | E | null : never)
    : A extends AssetsDefinition<infer I, infer E>
      ? (P extends 'run' ? I | E : I)
      : never;

/** The inputs of an asset whose deps are `D`. */
export type AssetInputs<D extends AssetDeps, P extends UpstreamEmptyPolicy = 'skip'> = {
  readonly [K in keyof D]: InputOf<D[K], P>;
};

/**
 * The framework's view of an asset of any kind. `Input` is what downstream code receives for it;
 * `EmptyInput` what it receives under `onUpstreamEmpty: 'run'` when this asset is empty.
 */
export interface AssetsDefinition<Input = unknown, EmptyInput = Input, Resources = {}> {
  readonly name: string;
  /** The registered kind that materializes and stores it: `table`, `value`, … */
  readonly kind: string;
  /** Upstream assets, keyed by input name. */
  readonly deps: UpstreamAssets;
  /** Inputs read at another partition than the run's: input name → days from the run's partition. */
  readonly partitionOffsets: Readonly<Record<string, number>>;
  /** Keys of the resources its code is handed. */
  readonly resourceKeys: readonly string[];
  readonly description: string;
  readonly group: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly retry: ResolvedRetryPolicy;
  readonly partitions: DailyPartitions | null;
  readonly onUpstreamEmpty: UpstreamEmptyPolicy;
  /** `sql` for SQL assets, `function` for code. */
  readonly compute: 'sql' | 'function';
  /** Its checks, in the order declared. */
  readonly checks: readonly AssetCheck[];
  /** Phantom types: what downstream receives, and which resources the asset needs. */
  readonly __input?: Input;
  readonly __emptyInput?: EmptyInput;
  readonly __resources?: Resources;
}

/** Any asset definition, of any kind. */
export type AnyAssetsDefinition = AssetsDefinition<any, any, any>;

/** Code that materializes an asset of some kind, taking its inputs by name and a context. */
export type AssetCode<C, Result> = (inputs: Readonly<Record<string, unknown>>, context: C) => Promise<Result>;

export interface TableAssetDefinition<Resources = {}> extends AssetsDefinition<TableRef, TableRef, Resources> {
  readonly kind: 'table';
  readonly materialize: AssetCode<TableAssetContext<any>, void>;
}

export interface ValueAssetDefinition<T = unknown, Resources = {}> extends AssetsDefinition<T, T | null, Resources> {
  readonly kind: 'value';
  readonly materialize: AssetCode<ValueAssetContext<T, any>, T | null>;
}

/** Values a `sql` template can take, re-exported for asset authors. */
export type { SqlValue };
