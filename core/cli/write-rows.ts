/**
 * Tabular output for people (a table), for machines (JSON) and for spreadsheets (CSV).
 */
import { Table } from 'console-table-printer';
import type { CliIo } from './cli-io.ts';

export interface Rows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export type RowFormat = 'table' | 'json' | 'csv';

export function writeRows(io: CliIo, rows: Rows, format: RowFormat): void {
  if (format === 'json') {
    const objects = rows.rows.map((row) => Object.fromEntries(rows.columns.map((column, index) => [column, row[index] ?? null])));
    io.stdout.write(`${JSON.stringify(objects, null, 2)}\n`);
    return;
  }
  if (format === 'csv') {
    const lines = [rows.columns, ...rows.rows].map((row) => row.map(csvField).join(','));
    io.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  // Keyed by position: a query may return two columns of the same name.
  const table = new Table({ columns: rows.columns.map((title, index) => ({ name: String(index), title, alignment: 'left' })), shouldDisableColors: true });
  table.addRows(rows.rows.map((row) => Object.fromEntries(row.map((value, index) => [String(index), displayValue(value)]))));
  io.stdout.write(`${table.render()}\n`);
  if (rows.rows.length === 0) io.stdout.write('(no rows)\n');
}

/** A value as a table cell: JSON for objects, empty for null. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function csvField(value: unknown): string {
  const text = displayValue(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
