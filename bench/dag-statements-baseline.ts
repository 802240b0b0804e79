/**
 * The statements duckdag sends to materialize N trivial (unpartitioned) SQL assets, sent by hand on
 * one @duckdb/node-api connection with no framework around them, in the same round trips: the
 * assets share a transaction (`BEGIN` once), each sends the CREATE OR REPLACE TABLE AS of its table
 * with its description, and the transaction commits with the history rows, in one insert, once a
 * second and at the end. What is left of duckdag's time beyond this is duckdag's own overhead.
 *
 * Arguments: WAREHOUSE COUNT. orchestration-overhead.ts compiles it (compiled-script.ts) and runs it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { identifier, sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import { migrateHistory } from '../storage/history-migrator.ts';
import { deferredCommitMaxDelayMs } from '../storage/deferred-commits.ts';
import { materializationInsert, type MaterializationRecord } from '../storage/run-history.ts';
import { runAndReadInPlace } from '../storage/read-in-place.ts';
import { describeTableQuery, readDescription } from '../storage/table-swap.ts';
import { attachStatement, useStatement } from '../storage/warehouse-attachment.ts';

const [warehouse = '', countText = '0'] = process.argv.slice(2);
const runId = 'bench';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`${attachStatement(warehouse, 'read_write', {}).text}; ${useStatement.text}`);
await migrateHistory(connection, warehouse);
const pending: MaterializationRecord[] = [];
let oldest: number | null = null;
const commit = async () => {
  await connection.run(`${materializationInsert(pending.splice(0)).text};\nCOMMIT`);
  oldest = null;
};
for (let i = 0; i < Number(countText); i += 1) {
  const asset = `a_${i}`;
  const startedAt = new Date();
  if (oldest === null) {
    await connection.run('BEGIN TRANSACTION');
    oldest = Date.now();
  }
  const staged = readDescription(
    await runAndReadInPlace(connection, `CREATE OR REPLACE TABLE ${identifier(asset).text} AS ${sql`SELECT ${i} AS n`.text};\n${describeTableQuery(asset).text}`),
  );
  pending.push({
    runId,
    asset,
    partitionKey: null,
    status: MaterializationStatus.materialized,
    rowCount: staged.rowCount,
    startedAt,
    finishedAt: new Date(),
    attempts: 1,
    error: null,
    reason: null,
    metadata: { columns: staged.columns },
    codeVersion: null,
    upstream: [],
  });
  if (Date.now() - oldest >= deferredCommitMaxDelayMs) await commit();
}
if (pending.length > 0) await commit();
connection.closeSync();
instance.closeSync();
