/**
 * One try at materializing one asset, in one transaction on its own connection: the asset's kind
 * runs its code and stages the result, the asset's checks run on the staged rows, then the result,
 * its history row, the check results and the commit go in one round trip. An error at any point
 * rolls everything back, so the previous data and history stay. A failed `error` check rolls back
 * too (nothing wrong becomes visible), and then records the asset `check_failed` with its checks.
 * The record of a pure computation — an asset without resources whose code sent no statement —
 * waits for the next commit of `deferred-commits.ts` instead of paying its own; an attempt that
 * joined the transaction of `deferred-commits.ts` (`shared`) runs its statements in it and leaves
 * its record there too. Before anything else could depend on them, that commit is made: before the
 * code of an asset with resources starts, and before the first statement of an asset reading one
 * of them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AnyAssetsDefinition } from '../core/kernel/asset-definition.ts';
import { DefinitionError } from '../core/kernel/errors.ts';
import { joinSql, type Sql } from '../core/kernel/sql.ts';
import { MaterializationStatus } from '../core/kernel/statuses.ts';
import type { AttemptOutcome, AttemptSpec } from '../core/runtime/asset-store.ts';
import { checkFailureReason, isBlocking, type CheckResult } from '../core/runtime/check-result.ts';
import { createAssetContext } from './asset-context.ts';
import type { AssetKind, StagedResult } from './asset-kind.ts';
import type { DeferredCommits, SharedAttempt } from './deferred-commits.ts';
import { AssetTransaction } from './asset-transaction.ts';
import { checkResultsInsert } from './check-results-history.ts';
import { runChecks } from './check-runner.ts';
import { materializationInsert, type MaterializationRecord } from './run-history.ts';
import { valuesReplace } from './value-store.ts';
import type { SerialConnection } from './serial-connection.ts';

export async function materializeAttempt(
  kind: AssetKind,
  asset: AnyAssetsDefinition,
  spec: AttemptSpec,
  connection: DuckDBConnection,
  aside: SerialConnection,
  deferred: DeferredCommits,
  shared: SharedAttempt | null,
): Promise<AttemptOutcome> {
  const reachesOutside = asset.resourceKeys.length > 0;
  if (reachesOutside) await deferred.commit();
  const upstream = Object.values(asset.deps).map((dep) => dep.name);
  const transaction =
    shared === null ? new AssetTransaction(connection, spec.signal, () => deferred.commitIfPending(upstream)) : AssetTransaction.sharing(shared, spec.signal);
  const afterwards: Sql[] = [];
  try {
    const { context, metadata } = createAssetContext(asset, spec, transaction);
    const staged = await kind.stage(asset, {
      spec,
      transaction,
      context,
      metadata,
      commitAside: (statements) => aside.runInTransaction(statements.text),
      afterAttempt: (statements) => afterwards.push(statements),
    });
    const checks = await checkStaged(kind, asset, staged, spec, transaction);
    const results = checks.length === 0 ? [] : [checkResultsInsert(spec.runId, checks, new Date())];
    const blocking = checks.find(isBlocking);
    if (blocking !== undefined) {
      await transaction.rollback();
      const history = record(asset, spec, staged, MaterializationStatus.checkFailed, blocking);
      if (shared === null) await transaction.commit(joinSql([materializationInsert([history]), ...results], ';\n').text);
      else deferred.add(joinSql(results, ';\n'), [history]);
      return { ...staged.outcome, input: null, checks };
    }
    const statements = [...nonEmpty(staged.statements), ...results];
    const values = staged.value === undefined ? [] : [staged.value];
    const history = record(asset, spec, staged, MaterializationStatus.materialized, null);
    const stored = [...statements, ...(values.length === 0 ? [] : [valuesReplace(values)])];
    if (shared !== null) shared.done(stored.length === 0 ? null : joinSql(stored, ';\n'), [history]);
    else if (reachesOutside || transaction.touched) await transaction.commit(joinSql([...stored, materializationInsert([history])], ';\n').text);
    else deferred.add(statements.length === 0 ? null : joinSql(statements, ';\n'), [history], values);
    return { ...staged.outcome, checks };
  } catch (error) {
    await transaction.rollback();
    throw error;
  } finally {
    // Best effort: what is left undone here, the next open of the warehouse does (see partition-backup.ts).
    for (const statements of afterwards) await aside.runInTransaction(statements.text).catch(() => undefined);
  }
}

async function checkStaged(kind: AssetKind, asset: AnyAssetsDefinition, staged: StagedResult, spec: AttemptSpec, transaction: AssetTransaction): Promise<CheckResult[]> {
  if (asset.checks.length === 0) return [];
  if (staged.checkable === undefined) {
    throw new DefinitionError('DUCKDAG_CHECK_UNSUPPORTED', `asset ${asset.name} declares checks, but its kind "${kind.name}" stages no rows to check`);
  }
  return runChecks(asset, staged.checkable, { ...spec, metadata: staged.outcome.metadata }, transaction);
}

function record(asset: AnyAssetsDefinition, spec: AttemptSpec, staged: StagedResult, status: MaterializationStatus, blocking: CheckResult | null): MaterializationRecord {
  return {
    runId: spec.runId,
    asset: asset.name,
    partitionKey: spec.partitionKey,
    status,
    rowCount: staged.outcome.rowCount,
    startedAt: spec.startedAt,
    finishedAt: new Date(),
    attempts: spec.attempt,
    error: null,
    reason: blocking === null ? null : `${checkFailureReason(blocking)}; its new rows were not stored, the previous data stays`,
    metadata: staged.outcome.metadata,
    codeVersion: spec.codeVersion,
    upstream: Object.values(asset.deps).map((upstream) => upstream.name),
  };
}

/** The statements, unless there are none (a kind that stored its result as it went). */
function nonEmpty(statements: Sql): Sql[] {
  return statements.text.trim() === '' ? [] : [statements];
}
