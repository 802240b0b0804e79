/**
 * The context handed to an asset's code: its run, partition and flags, a log, and statements and
 * queries on the asset's own connection, so everything it does joins the asset's transaction.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { AssetTransaction } from '../storage/asset-transaction.ts';
import { convertRows } from '../storage/read-rows.ts';
import { describeTable, describeTableQuery, readDescription, type StagedTable } from '../storage/table-swap.ts';
import type { AssetExecutionContext, AssetMetadata, TableAssetContext, TableOutput } from './asset-definition.ts';
import { identifier, type Sql } from './sql.ts';

/** The facts of one try, and the transaction it runs in. */
export type ContextSettings = Pick<AssetExecutionContext, 'asset' | 'runId' | 'partitionKey' | 'force' | 'attempt' | 'signal' | 'log'> & {
  readonly transaction: AssetTransaction;
};

/** A context plus what the executor reads back from it afterwards. */
export interface ContextHandle<C extends AssetExecutionContext> {
  readonly context: C;
  /** Metadata the code added. */
  metadata(): AssetMetadata;
  /** Closes what the code left open (the appender). */
  close(): void;
}

export function createAssetContext(settings: ContextSettings): ContextHandle<AssetExecutionContext> {
  const metadata: Record<string, unknown> = {};
  const context: AssetExecutionContext = {
    asset: settings.asset,
    runId: settings.runId,
    partitionKey: settings.partitionKey,
    force: settings.force,
    attempt: settings.attempt,
    signal: settings.signal,
    log: settings.log,
    addMetadata: (entries) => Object.assign(metadata, entries),
    execute: (statement: Sql) => settings.transaction.run(statement.text),
    query: async <Row>(statement: Sql) => convertRows<Row>(await settings.transaction.read(statement.text)),
  };
  return { context, metadata: () => metadata, close: () => undefined };
}

/** A table asset's context writing into `stagingTable`, and what it staged. */
export interface TableContextHandle extends ContextHandle<TableAssetContext> {
  /** Row count and columns of the staging table; `null` if the code did not create it. */
  staged(): Promise<StagedTable | null>;
}

export function createTableAssetContext(settings: ContextSettings, stagingTable: string): TableContextHandle {
  const { transaction } = settings;
  const base = createAssetContext(settings);
  const table = identifier(stagingTable);
  let appender: DuckDBAppender | null = null;
  // What createAs learnt about the staged table, valid until the code touches the warehouse again.
  let described: StagedTable | null = null;
  const touched = <A extends unknown[], R>(work: (...args: A) => R) => (...args: A): R => {
    described = null;
    return work(...args);
  };
  const output: TableOutput = {
    table,
    createAs: async (query) => {
      base.context.addMetadata({ query: query.text });
      const reader = await transaction.read(`CREATE TABLE ${table.text} AS ${query.text};\n${describeTableQuery(stagingTable).text}`);
      described = readDescription(reader);
    },
    create: touched(async (columns: Readonly<Record<string, string>>) => {
      const definitions = Object.entries(columns).map(([name, type]) => `${identifier(name).text} ${type}`);
      await transaction.run(`CREATE TABLE ${table.text} (${definitions.join(', ')})`);
    }),
    appender: touched(async () => {
      appender ??= await transaction.appender(stagingTable);
      return appender;
    }),
  };
  return {
    context: {
      ...base.context,
      execute: touched(base.context.execute),
      query: <Row>(statement: Sql) => {
        described = null;
        return base.context.query<Row>(statement);
      },
      output,
    },
    metadata: base.metadata,
    close: () => {
      appender?.closeSync();
      appender = null;
    },
    staged: async () => described ?? describeTable(transaction, stagingTable),
  };
}
