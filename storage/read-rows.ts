/**
 * Reading query results as plain JSON-friendly objects: integers and decimals as numbers, times as
 * strings, lists and structs as arrays and objects.
 */
import {
  doubleFromDecimalValue,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  numberFromValue,
  type DuckDBConnection,
  type DuckDBResultReader,
  type DuckDBValueConverter,
  type Json,
} from '@duckdb/node-api';
import { runAndReadInPlace } from './read-in-place.ts';

const wideIntegers: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

const plainValue: DuckDBValueConverter<unknown> = (value, type) => {
  if (value === null) return null;
  if (wideIntegers.has(type.typeId)) return numberFromValue(value);
  if (type.typeId === DuckDBTypeId.DECIMAL) return doubleFromDecimalValue(value);
  return JsonDuckDBValueConverter(value, type, plainValue as DuckDBValueConverter<Json>);
};

/** Runs a query and returns its rows as objects keyed by column name. */
export async function readRows<Row = Record<string, unknown>>(connection: DuckDBConnection, query: string): Promise<Row[]> {
  return convertRows<Row>(await runAndReadInPlace(connection, query));
}

/** A result's rows as objects keyed by column name. */
export function convertRows<Row = Record<string, unknown>>(reader: DuckDBResultReader): Row[] {
  return reader.convertRowObjects(plainValue) as Row[];
}

/** A result as column names, types and rows of arrays, in column order. */
export interface QueryTable {
  readonly columns: string[];
  readonly types: string[];
  readonly rows: unknown[][];
}

/** Runs a query and returns its column names and rows as arrays, in column order. */
export async function readTable(connection: DuckDBConnection, query: string): Promise<QueryTable> {
  return tableFromReader(await runAndReadInPlace(connection, query));
}

/** A result's column names and rows as arrays, in column order. */
export function tableFromReader(reader: DuckDBResultReader): QueryTable {
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map(String),
    rows: reader.convertRows(plainValue),
  };
}
