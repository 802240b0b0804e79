/**
 * Reading and writing `duckdag.runs` and `duckdag.materializations`, every insert naming its
 * columns so that columns added by later migrations never shift them.
 */
import type { AssetMetadata } from '../core/kernel/asset-definition.ts';
import { duckdagVersion } from '../core/kernel/duckdag-version.ts';
import { joinSql, sql, type Sql } from '../core/kernel/sql.ts';
import { MaterializationStatus, RunStatus } from '../core/kernel/statuses.ts';
import type { OutcomeRecord, RunHistory, RunRecord } from '../core/runtime/asset-store.ts';
import type { DeferredCommits } from './deferred-commits.ts';

/** A materialization's history row, written in the asset's own transaction. */
export interface MaterializationRecord extends Omit<OutcomeRecord, 'status'> {
  readonly status: MaterializationStatus;
  readonly rowCount: number | null;
  readonly metadata: AssetMetadata;
  /** The upstream assets it was declared with. */
  readonly upstream: readonly string[];
}

/** The statement recording materializations or other outcomes (at least one), one row each, to send along with other statements. */
export function materializationInsert(records: readonly MaterializationRecord[]): Sql {
  const rows = records.map(
    (record) => sql`(
      ${record.runId}, ${record.asset}, ${record.partitionKey}, ${record.status}, ${record.rowCount},
      ${record.startedAt}, ${record.finishedAt}, ${record.finishedAt.getTime() - record.startedAt.getTime()},
      ${record.attempts}, ${record.error}, ${record.reason}, CAST(${JSON.stringify(record.metadata)} AS JSON),
      ${record.codeVersion}, CAST(${[...record.upstream]} AS VARCHAR[]))`,
  );
  return sql`INSERT INTO duckdag.materializations
      (run_id, asset, partition_key, status, row_count, started_at, finished_at, duration_ms, attempts, error, reason, metadata, code_version, upstream)
    VALUES ${joinSql(rows)}`;
}

/**
 * The run history, committed with the records that wait (`deferred-commits.ts`): a run's start
 * and end commit everything recorded before them, the outcomes of assets that did not materialize
 * wait for the next commit.
 */
export class DuckdbRunHistory implements RunHistory {
  readonly #commits: DeferredCommits;

  constructor(commits: DeferredCommits) {
    this.#commits = commits;
  }

  async markInterruptedRuns(): Promise<void> {
    this.#commits.add(sql`UPDATE duckdag.runs SET status = ${RunStatus.interrupted} WHERE status = ${RunStatus.running}`, []);
  }

  recordRunStart(run: RunRecord): Promise<void> {
    return this.#commits.commit(sql`INSERT INTO duckdag.runs
        (run_id, started_at, finished_at, status, selection, exclude, partition_key, force, pid, duckdag_version)
      VALUES (${run.runId}, ${run.startedAt}, NULL, ${RunStatus.running}, ${run.selection}, ${run.exclude},
        ${run.partitionKey}, ${run.force}, ${process.pid}, ${duckdagVersion})`);
  }

  recordRunEnd(runId: string, status: RunStatus): Promise<void> {
    return this.#commits.commit(sql`UPDATE duckdag.runs SET status = ${status}, finished_at = now() WHERE run_id = ${runId}`);
  }

  async recordOutcome(record: OutcomeRecord): Promise<void> {
    this.#commits.add(null, [{ ...record, rowCount: null, metadata: {} }]);
  }
}
