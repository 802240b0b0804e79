/**
 * Swapping a staged table in for an asset's table, inside the caller's transaction: the whole table
 * for an unpartitioned asset, only the partition's rows for a partitioned one. Until the transaction
 * commits, readers and a crash alike see the previous data.
 *
 * Nothing here scans DuckDB's catalog (`duckdb_tables()` grows with every table in the file); the
 * swap itself is returned as statements for the caller to send with its commit, in one round trip.
 */
import type { DuckDBResultReader } from '@duckdb/node-api';
import type { AssetTransaction } from './asset-transaction.ts';
import type { StatementReader } from './statement-reader.ts';
import { WarehouseError } from '../core/kernel/errors.ts';
import { identifier, joinSql, literal, sql, type Sql } from '../core/kernel/sql.ts';

export interface ColumnSchema {
  readonly name: string;
  readonly type: string;
}

/** What the code of a table asset staged. */
export interface StagedTable {
  readonly rowCount: number;
  readonly columns: ColumnSchema[];
}

/** The name of an asset's staging table for one run. */
export function stagingTableName(asset: string, runId: string): string {
  return `${asset}__staging_${runId.replaceAll(/[^A-Za-z0-9]/g, '').toLowerCase()}`;
}

/**
 * A query whose one row tells a table's row count (first column) and, through the result's column
 * types, its columns, without reading any row. (A count subquery beside `SELECT * … LIMIT 1` would
 * make DuckDB scan every column of every row first: seconds for a million rows of JSON.)
 */
export function describeTableQuery(table: string): Sql {
  const name = identifier(table);
  return sql`SELECT counted.__duckdag_row_count, columns.* FROM (SELECT count(*) AS __duckdag_row_count FROM ${name}) AS counted LEFT JOIN (SELECT * FROM ${name} LIMIT 0) AS columns ON true`;
}

/** Reads the result of `describeTableQuery`. */
export function readDescription(reader: DuckDBResultReader): StagedTable {
  const types = reader.columnTypes().slice(1);
  return {
    rowCount: Number(reader.getRows()[0]?.[0] ?? 0),
    columns: reader.columnNames().slice(1).map((column, index) => ({ name: column, type: String(types[index]) })),
  };
}

/** Row count and columns of a table, in one round trip; `null` when there is no such table. */
export async function describeTable(transaction: AssetTransaction, table: string): Promise<StagedTable | null> {
  try {
    return readDescription(await transaction.read(describeTableQuery(table).text));
  } catch (error) {
    if (/Catalog Error: Table with name .* does not exist/.test(String(error))) return null;
    throw error;
  }
}

export async function countRows(reader: StatementReader, from: Sql): Promise<number> {
  const result = await reader.read(`SELECT count(*) FROM ${from.text}`);
  return Number(result.getRows()[0]?.[0] ?? 0);
}

/** The rows of one partition of a table, as a parenthesised subquery. */
export function partitionRows(table: string, column: string, partitionKey: string): Sql {
  return sql`(SELECT * FROM ${identifier(table)} WHERE ${partitionFilter(column, partitionKey)})`;
}

/** Whether a row belongs to the partition. */
export function partitionFilter(column: string, partitionKey: string): Sql {
  return sql`CAST(${identifier(column)} AS DATE) = CAST(${literal(partitionKey)} AS DATE)`;
}

/** Statements replacing the asset's table by the staging table. */
export function swapTable(asset: string, staging: string): Sql {
  return sql`DROP TABLE IF EXISTS ${identifier(asset)}; ALTER TABLE ${identifier(staging)} RENAME TO ${identifier(asset)}`;
}

/** Statements swapping a partition in, and whether they replace rows of the existing table in place. */
export interface PartitionSwap {
  readonly statements: Sql;
  /** Rows are deleted from and appended to the existing table (see `partition-backup.ts`). */
  readonly inPlace: boolean;
}

/**
 * Checks the staged rows all belong to the partition, then returns statements replacing that
 * partition's rows of the asset's table by them. A changed column list rebuilds the table,
 * keeping the other partitions: from the staged table when it has every column of the old one
 * (new columns NULL in the other partitions), else as the union of both by name.
 */
export async function swapPartition(
  transaction: AssetTransaction,
  asset: string,
  staging: string,
  staged: StagedTable,
  column: string,
  partitionKey: string,
): Promise<PartitionSwap> {
  if (!staged.columns.some((candidate) => candidate.name === column)) {
    throw new WarehouseError(
      'DUCKDAG_PARTITION_COLUMN_MISSING',
      `asset ${asset} is partitioned by column ${column}, but its rows have no such column (columns: ${staged.columns.map((c) => c.name).join(', ')})`,
      { exitCode: 1 },
    );
  }
  const source = identifier(staging);
  const stray = await countRows(transaction, sql`${source} WHERE NOT coalesce(${partitionFilter(column, partitionKey)}, false)`);
  if (stray > 0) {
    throw new WarehouseError(
      'DUCKDAG_PARTITION_ROWS_OUTSIDE',
      `asset ${asset} wrote ${stray} row(s) whose ${column} is not ${partitionKey}; a partitioned asset writes only its partition's rows`,
      { exitCode: 1 },
    );
  }
  const existing = await describeTable(transaction, asset);
  if (existing === null) return { statements: sql`ALTER TABLE ${source} RENAME TO ${identifier(asset)}`, inPlace: false };
  const target = identifier(asset);
  if (sameColumns(existing.columns, staged.columns)) {
    const statements = joinSql(
      [
        sql`DELETE FROM ${target} WHERE ${partitionFilter(column, partitionKey)}`,
        sql`INSERT INTO ${target} SELECT * FROM ${source}`,
        sql`DROP TABLE ${source}`,
      ],
      '; ',
    );
    return { statements, inPlace: true };
  }
  if (keepsEveryColumn(existing.columns, staged.columns)) {
    // The staged table keeps its own column definitions (a column's compression among them, which
    // a table made by CREATE TABLE AS would not have): the other partitions' rows join it.
    const statements = joinSql(
      [sql`INSERT INTO ${source} BY NAME SELECT * FROM ${target} WHERE NOT coalesce(${partitionFilter(column, partitionKey)}, false)`, swapTable(asset, staging)],
      '; ',
    );
    return { statements, inPlace: false };
  }
  const rebuilt = `${staging}_rebuilt`;
  const statements = joinSql(
    [
      sql`CREATE TABLE ${identifier(rebuilt)} AS SELECT * FROM ${target} WHERE NOT coalesce(${partitionFilter(column, partitionKey)}, false) UNION ALL BY NAME SELECT * FROM ${source}`,
      sql`DROP TABLE ${source}`,
      swapTable(asset, rebuilt),
    ],
    '; ',
  );
  return { statements, inPlace: false };
}

/** Whether every column of `existing` is among `staged`, of the same type. */
function keepsEveryColumn(existing: readonly ColumnSchema[], staged: readonly ColumnSchema[]): boolean {
  return existing.every((column) => staged.some((candidate) => candidate.name === column.name && candidate.type === column.type));
}

function sameColumns(a: readonly ColumnSchema[], b: readonly ColumnSchema[]): boolean {
  return a.length === b.length && a.every((column, index) => column.name === b[index]?.name && column.type === b[index]?.type);
}
