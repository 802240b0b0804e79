/**
 * Swapping a staged table in for an asset's table, inside the caller's transaction: the whole table
 * for an unpartitioned asset, only the partition's rows for a partitioned one. Until the transaction
 * commits, readers and a crash alike see the previous data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckdagError } from '../core/errors.ts';
import { identifier, literal, sql, type Sql } from '../core/sql.ts';

export interface ColumnSchema {
  readonly name: string;
  readonly type: string;
}

/** The name of an asset's staging table for one run. */
export function stagingTableName(asset: string, runId: string): string {
  return `${asset}__staging_${runId.replaceAll(/[^A-Za-z0-9]/g, '').toLowerCase()}`;
}

/** Columns of a table in the main schema, in order. */
export async function tableColumns(connection: DuckDBConnection, table: string): Promise<ColumnSchema[]> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = $1 ORDER BY column_index`,
    [table],
  );
  return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}

export async function tableExists(connection: DuckDBConnection, table: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = $1`,
    [table],
  );
  return Number(reader.getRows()[0]?.[0]) > 0;
}

export async function countRows(connection: DuckDBConnection, from: Sql): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${from.text}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** The rows of one partition of a table, as a parenthesised subquery. */
export function partitionRows(table: string, column: string, partitionKey: string): Sql {
  return sql`(SELECT * FROM ${identifier(table)} WHERE ${partitionFilter(column, partitionKey)})`;
}

function partitionFilter(column: string, partitionKey: string): Sql {
  return sql`CAST(${identifier(column)} AS DATE) = CAST(${literal(partitionKey)} AS DATE)`;
}

/** Replaces the asset's table by the staging table. */
export async function swapTable(connection: DuckDBConnection, asset: string, staging: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${identifier(asset).text}`);
  await connection.run(`ALTER TABLE ${identifier(staging).text} RENAME TO ${identifier(asset).text}`);
}

/**
 * Replaces one partition's rows of the asset's table by the staging table's rows, which must all
 * belong to that partition. A changed column list rebuilds the table, keeping the other partitions.
 */
export async function swapPartition(
  connection: DuckDBConnection,
  asset: string,
  staging: string,
  column: string,
  partitionKey: string,
): Promise<void> {
  const stagingColumns = await tableColumns(connection, staging);
  if (!stagingColumns.some((candidate) => candidate.name === column)) {
    throw new DuckdagError(
      'DUCKDAG_PARTITION_COLUMN_MISSING',
      `asset ${asset} is partitioned by column ${column}, but its rows have no such column (columns: ${stagingColumns.map((c) => c.name).join(', ')})`,
      { exitCode: 1 },
    );
  }
  const stray = await countRows(connection, sql`${identifier(staging)} WHERE NOT coalesce(${partitionFilter(column, partitionKey)}, false)`);
  if (stray > 0) {
    throw new DuckdagError(
      'DUCKDAG_PARTITION_ROWS_OUTSIDE',
      `asset ${asset} wrote ${stray} row(s) whose ${column} is not ${partitionKey}; a partitioned asset writes only its partition's rows`,
      { exitCode: 1 },
    );
  }
  if (!(await tableExists(connection, asset))) {
    await connection.run(`ALTER TABLE ${identifier(staging).text} RENAME TO ${identifier(asset).text}`);
    return;
  }
  const target = identifier(asset).text;
  const source = identifier(staging).text;
  if (sameColumns(await tableColumns(connection, asset), stagingColumns)) {
    await connection.run(`DELETE FROM ${target} WHERE ${partitionFilter(column, partitionKey).text}`);
    await connection.run(`INSERT INTO ${target} SELECT * FROM ${source}`);
    await connection.run(`DROP TABLE ${source}`);
    return;
  }
  const rebuilt = identifier(`${staging}_rebuilt`).text;
  await connection.run(
    `CREATE TABLE ${rebuilt} AS SELECT * FROM ${target} WHERE NOT coalesce(${partitionFilter(column, partitionKey).text}, false) UNION ALL BY NAME SELECT * FROM ${source}`,
  );
  await connection.run(`DROP TABLE ${source}`);
  await swapTable(connection, asset, `${staging}_rebuilt`);
}

function sameColumns(a: readonly ColumnSchema[], b: readonly ColumnSchema[]): boolean {
  return a.length === b.length && a.every((column, index) => column.name === b[index]?.name && column.type === b[index]?.type);
}
