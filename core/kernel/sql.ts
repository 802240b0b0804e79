/**
 * SQL built from typed pieces: `sql` tagged templates inline identifiers and upstream table
 * references as quoted names, and values as escaped literals, so statements stay readable in
 * errors and history and any statement kind (CREATE TABLE AS, COPY, INSERT) can take them.
 */

/** A piece of SQL text. Values interpolated into `sql` templates become literals; `Sql` stays as is. */
export class Sql {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

/** What can be interpolated into a `sql` template. */
export type SqlValue = Sql | string | number | bigint | boolean | Date | null | readonly SqlValue[];

/**
 * Builds SQL from a template: `Sql` pieces (table references, identifiers, other fragments) are
 * inlined, everything else becomes a literal.
 * @example sql`SELECT * FROM ${upstream.partition} WHERE price > ${threshold}`
 */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += literal(value).text + (strings[index + 1] ?? '');
  });
  return new Sql(text);
}

/** A quoted, optionally qualified identifier: `identifier('duckdag', 'runs')` → `"duckdag"."runs"`. */
export function identifier(...parts: readonly string[]): Sql {
  return new Sql(parts.map((part) => `"${part.replaceAll('"', '""')}"`).join('.'));
}

/** A value as a SQL literal; `Sql` passes through unchanged. */
export function literal(value: SqlValue): Sql {
  if (value instanceof Sql) return value;
  if (value === null) return new Sql('NULL');
  if (Array.isArray(value)) return new Sql(`[${value.map((item: SqlValue) => literal(item).text).join(', ')}]`);
  switch (typeof value) {
    case 'string':
      return new Sql(`'${value.replaceAll("'", "''")}'`);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot use ${value} as a SQL literal`);
      return new Sql(String(value));
    case 'bigint':
      return new Sql(value.toString());
    case 'boolean':
      return new Sql(value ? 'TRUE' : 'FALSE');
    default:
      return new Sql(`TIMESTAMPTZ '${(value as Date).toISOString()}'`);
  }
}

/** Joins SQL pieces with a separator. */
export function joinSql(pieces: readonly SqlValue[], separator = ', '): Sql {
  return new Sql(pieces.map((piece) => literal(piece).text).join(separator));
}
