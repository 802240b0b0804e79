/**
 * The context handed to an asset's code: its run, partition and flags, a log, and statements and
 * queries on the asset's own connection, so everything it does joins the asset's transaction.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { readRows } from '../storage/read-rows.ts';
import type { AssetExecutionContext, AssetMetadata, TableAssetContext, TableOutput } from './asset-definition.ts';
import { identifier, type Sql } from './sql.ts';

/** The facts of one try, and the connection whose transaction it runs in. */
export type ContextSettings = Pick<AssetExecutionContext, 'asset' | 'runId' | 'partitionKey' | 'force' | 'attempt' | 'signal' | 'log'> & {
  readonly connection: DuckDBConnection;
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
    execute: async (statement: Sql) => {
      await settings.connection.run(statement.text);
    },
    query: <Row>(statement: Sql) => readRows<Row>(settings.connection, statement.text),
  };
  return { context, metadata: () => metadata, close: () => undefined };
}

/** A table asset's context, writing into `stagingTable`. */
export function createTableAssetContext(settings: ContextSettings, stagingTable: string): ContextHandle<TableAssetContext> {
  const base = createAssetContext(settings);
  const table = identifier(stagingTable);
  let appender: DuckDBAppender | null = null;
  const output: TableOutput = {
    table,
    createAs: async (query) => {
      base.context.addMetadata({ query: query.text });
      await settings.connection.run(`CREATE TABLE ${table.text} AS ${query.text}`);
    },
    create: async (columns) => {
      const definitions = Object.entries(columns).map(([name, type]) => `${identifier(name).text} ${type}`);
      await settings.connection.run(`CREATE TABLE ${table.text} (${definitions.join(', ')})`);
    },
    appender: async () => {
      appender ??= await settings.connection.createAppender(stagingTable);
      return appender;
    },
  };
  return {
    context: { ...base.context, output },
    metadata: base.metadata,
    close: () => {
      appender?.closeSync();
      appender = null;
    },
  };
}
