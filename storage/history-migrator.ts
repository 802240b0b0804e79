/**
 * Brings a warehouse's `duckdag` schema up to this release, as Kysely's migrator does: pending
 * migrations run in order, each recorded in `duckdag.migrations`, the whole upgrade in one
 * transaction. A warehouse written by a newer duckdag is refused and left as it is.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdagVersion } from '../core/kernel/duckdag-version.ts';
import { ConfigError } from '../core/kernel/errors.ts';
import { sql } from '../core/kernel/sql.ts';
import { historyMigrations, type HistoryMigration } from './history-migrations.ts';
import { runAndReadInPlace } from './read-in-place.ts';

/** Where a warehouse's schema stands. */
export interface SchemaVersion {
  /** The latest migration applied; 0 when none is recorded. */
  readonly version: number;
  /** The duckdag release that applied it. */
  readonly writtenBy: string | null;
}

/** The schema version this release writes. */
export const latestSchemaVersion = historyMigrations.at(-1)?.version ?? 0;

const migrationsTable = `CREATE TABLE IF NOT EXISTS duckdag.migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL,
  duckdag_version VARCHAR NOT NULL
)`;

const versionQuery = `SELECT max(version), arg_max(duckdag_version, version) FROM duckdag.migrations`;

/**
 * Applies the pending migrations in one transaction and returns them; throws `ConfigError`
 * (`DUCKDAG_WAREHOUSE_TOO_NEW`, exit 2) without changing anything when the warehouse is newer.
 */
export async function migrateHistory(
  connection: DuckDBConnection,
  path: string,
  migrations: readonly HistoryMigration[] = historyMigrations,
): Promise<HistoryMigration[]> {
  const reader = await runAndReadInPlace(connection, ['BEGIN TRANSACTION', 'CREATE SCHEMA IF NOT EXISTS duckdag', migrationsTable, versionQuery].join(';\n'));
  try {
    const current = versionOf(reader.getRows()[0]);
    checkNotNewer(current, path, migrations.at(-1)?.version ?? 0);
    const pending = migrations.filter((migration) => migration.version > current.version);
    const statements = pending.flatMap((migration) => [
      ...migration.statements,
      sql`INSERT INTO duckdag.migrations (version, name, applied_at, duckdag_version)
          VALUES (${migration.version}, ${migration.name}, now(), ${duckdagVersion})`.text,
    ]);
    await connection.run([...statements, 'COMMIT'].join(';\n'));
    return pending;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The schema version, read without writing (a warehouse opened read-only). */
export async function readSchemaVersion(connection: DuckDBConnection): Promise<SchemaVersion> {
  const [exists] = (
    await runAndReadInPlace(connection, `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'duckdag' AND table_name = 'migrations' AND database_name = current_database()`)
  ).getRows();
  if (Number(exists?.[0]) === 0) return { version: 0, writtenBy: null };
  return versionOf((await runAndReadInPlace(connection, versionQuery)).getRows()[0]);
}

/** Refuses a warehouse whose schema is newer than `latest`, naming both releases. */
export function checkNotNewer(current: SchemaVersion, path: string, latest = latestSchemaVersion): void {
  if (current.version <= latest) return;
  throw new ConfigError(
    'DUCKDAG_WAREHOUSE_TOO_NEW',
    `warehouse ${path} was written by duckdag ${current.writtenBy ?? 'unknown'} (history schema version ${current.version}); ` +
      `this is duckdag ${duckdagVersion}, which knows versions up to ${latest}. Upgrade duckdag to use it; the file was not changed.`,
  );
}

function versionOf(row: readonly unknown[] | undefined): SchemaVersion {
  const version = row?.[0];
  return { version: version === null || version === undefined ? 0 : Number(version), writtenBy: row?.[1] === null || row?.[1] === undefined ? null : String(row[1]) };
}
