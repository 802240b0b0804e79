/** Recording check results in `duckdag.check_results`, naming the columns. */
import { joinSql, sql, type Sql } from '../core/kernel/sql.ts';
import type { CheckResult } from '../core/runtime/check-result.ts';

/** The statement recording `results` of run `runId`; empty when there are none. */
export function checkResultsInsert(runId: string, results: readonly CheckResult[], checkedAt: Date): Sql {
  if (results.length === 0) return sql`SELECT 1`;
  const rows = results.map(
    (result) => sql`(${runId}, ${result.asset}, ${result.partitionKey}, ${result.check}, ${result.severity}, ${result.description},
      ${result.passed}, ${result.failingCount}, ${result.checkedRows}, ${result.allowedFailing},
      CAST(${JSON.stringify(result.sample)} AS JSON), ${checkedAt}, ${result.durationMs})`,
  );
  return sql`INSERT INTO duckdag.check_results
      (run_id, asset, partition_key, check_name, severity, description, passed, failing_count, checked_rows, allowed_failing,
       failing_sample, checked_at, duration_ms)
    VALUES ${joinSql(rows)}`;
}
