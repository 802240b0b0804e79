/**
 * The staging table a table asset's code writes (`context.output`), and what it staged: created
 * from a query, created empty and filled by statements, or filled through DuckDB's appender.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import type { AppendValue, AssetMetadata, RowAppender, TableOutput } from '../core/kernel/asset-definition.ts';
import { identifier } from '../core/kernel/sql.ts';
import type { AssetTransaction } from './asset-transaction.ts';
import type { ReadsCheck } from './undeclared-reads.ts';
import { describeTable, describeTableQuery, readDescription, type StagedTable } from './table-swap.ts';

export interface TableOutputHandle {
  readonly output: TableOutput;
  /** Forgets what `createAs` learnt of the table: the code touched the warehouse since. */
  touched(): void;
  /** Row count and columns of the staging table; `null` if the code did not create it. */
  staged(): Promise<StagedTable | null>;
  /** Flushes and closes the appender the code left open. */
  close(): void;
}

/** The table the code writes, and whether creating it replaces one of that name (the asset's own, in place). */
export interface OutputTable {
  readonly table: string;
  readonly replace: boolean;
}

export function createTableOutput(
  transaction: AssetTransaction,
  target: OutputTable,
  addMetadata: (entries: AssetMetadata) => void,
  checkReads: ReadsCheck,
): TableOutputHandle {
  const stagingTable = target.table;
  const table = identifier(stagingTable);
  const create = target.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE';
  let appender: DuckDBAppender | null = null;
  // What createAs learnt about the staged table, valid until the code touches the warehouse again.
  let described: StagedTable | null = null;
  const touched = () => {
    described = null;
  };
  const output: TableOutput = {
    table,
    createAs: async (query, columns) => {
      addMetadata({ query: query.text });
      await checkReads(query.text);
      const fill =
        columns === undefined
          ? `${create} ${table.text} AS ${query.text}`
          : `${create} ${table.text} (${definitions(columns)});\nINSERT INTO ${table.text} BY NAME ${query.text}`;
      const reader = await transaction.read(`${fill};\n${describeTableQuery(stagingTable).text}`);
      described = readDescription(reader);
    },
    create: async (columns) => {
      touched();
      await transaction.run(`${create} ${table.text} (${definitions(columns)})`);
    },
    appender: async () => {
      touched();
      appender ??= await transaction.appender(stagingTable);
      return rowAppender(appender);
    },
  };
  return {
    output,
    touched,
    staged: async () => described ?? describeTable(transaction, stagingTable),
    close: () => {
      appender?.closeSync();
      appender = null;
    },
  };
}

/** Column definitions: each name quoted, then its type (and any column options). */
function definitions(columns: Readonly<Record<string, string>>): string {
  return Object.entries(columns)
    .map(([name, type]) => `${identifier(name).text} ${type}`)
    .join(', ');
}

/** Rows appended value by value, each converted to its column's type. */
function rowAppender(appender: DuckDBAppender): RowAppender {
  const types = Array.from({ length: appender.columnCount }, (_, index) => appender.columnType(index));
  return {
    appendRow: (values: readonly AppendValue[]) => {
      values.forEach((value, index) => appender.appendValue(value, types[index]));
      appender.endRow();
    },
    flush: () => appender.flushSync(),
  };
}
