/**
 * The scheduler's `TickStore` on `duckdag.schedule_ticks`: one row per tick a `serve` evaluated,
 * the first tick of a schedule for a partition holding it in `claimed_partition_key`, under a unique
 * key, so the warehouse itself refuses a second run of a schedule's partition. Inserts name their
 * columns.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql, type Sql } from '../core/kernel/sql.ts';
import { RunStatus, TickStatus } from '../core/kernel/statuses.ts';
import type { Tick } from '../core/runtime/schedule-ticks.ts';
import type { TickClaim, TickStore } from '../core/runtime/tick-store.ts';
import { readRows } from './read-rows.ts';

export class DuckdbTickStore implements TickStore {
  readonly #connection: DuckDBConnection;

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  async lastTicks(): Promise<ReadonlyMap<string, Date>> {
    const rows = await readRows<{ schedule: string; tick_ms: number }>(
      this.#connection,
      `SELECT schedule, epoch_ms(max(tick_at)) AS tick_ms FROM duckdag.schedule_ticks GROUP BY schedule`,
    );
    return new Map(rows.map((row) => [row.schedule, new Date(row.tick_ms)]));
  }

  async markInterruptedTicks(): Promise<void> {
    // Only a dead process leaves a tick `started` while this one holds the warehouse.
    await this.#run(sql`UPDATE duckdag.schedule_ticks t
      SET status = CASE WHEN r.status IN (${RunStatus.succeeded}, ${RunStatus.failed}, ${RunStatus.cancelled}) THEN r.status ELSE ${TickStatus.interrupted} END,
          reason = CASE WHEN r.status IN (${RunStatus.succeeded}, ${RunStatus.failed}, ${RunStatus.cancelled}) THEN t.reason
                        ELSE 'the serve process (pid ' || t.pid || ') ended before the run did' END,
          finished_at = now()
      FROM (SELECT t2.schedule, t2.tick_at, r2.status FROM duckdag.schedule_ticks t2 LEFT JOIN duckdag.runs r2 USING (run_id)
            WHERE t2.status = ${TickStatus.started}) r
      WHERE t.schedule = r.schedule AND t.tick_at = r.tick_at`);
  }

  async claim(tick: Tick): Promise<TickClaim> {
    const [recorded] = await this.#rows(sql`SELECT 1 AS found FROM duckdag.schedule_ticks WHERE schedule = ${tick.schedule} AND tick_at = ${tick.tickAt}`);
    if (recorded !== undefined) return { kind: 'already_recorded' };
    const [holder] = await this.#rows<{ tick_at: string; status: string; run_id: string | null }>(
      sql`SELECT strftime(tick_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS tick_at, status, run_id
          FROM duckdag.schedule_ticks WHERE schedule = ${tick.schedule} AND claimed_partition_key = ${tick.partitionKey}`,
    );
    if (holder !== undefined) {
      const run = holder.run_id === null ? '' : `, run ${holder.run_id}`;
      const reason = `partition ${tick.partitionKey} was already taken by this schedule's tick at ${holder.tick_at} (${holder.status}${run})`;
      await this.#insert(tick, null, TickStatus.skipped, reason);
      return { kind: 'partition_taken', reason };
    }
    await this.#insert(tick, tick.partitionKey, TickStatus.started, null);
    return { kind: 'claimed' };
  }

  recordRun(tick: Tick, runId: string): Promise<void> {
    return this.#run(sql`UPDATE duckdag.schedule_ticks SET run_id = ${runId} WHERE ${this.#is(tick)}`);
  }

  recordEnd(tick: Tick, status: TickStatus, reason: string | null): Promise<void> {
    return this.#run(sql`UPDATE duckdag.schedule_ticks SET status = ${status}, reason = ${reason}, finished_at = now() WHERE ${this.#is(tick)}`);
  }

  #insert(tick: Tick, claimed: string | null, status: TickStatus, reason: string | null): Promise<void> {
    const finishedAt = status === TickStatus.started ? sql`NULL` : sql`now()`;
    return this.#run(sql`INSERT INTO duckdag.schedule_ticks
        (schedule, tick_at, partition_key, claimed_partition_key, status, reason, run_id, recorded_at, finished_at, pid)
      VALUES (${tick.schedule}, ${tick.tickAt}, ${tick.partitionKey}, ${claimed}, ${status}, ${reason}, NULL, now(), ${finishedAt}, ${process.pid})`);
  }

  #is(tick: Tick): Sql {
    return sql`schedule = ${tick.schedule} AND tick_at = ${tick.tickAt}`;
  }

  async #run(statement: Sql): Promise<void> {
    await this.#connection.run(statement.text);
  }

  #rows<Row = Record<string, unknown>>(query: Sql): Promise<Row[]> {
    return readRows<Row>(this.#connection, query.text);
  }
}
