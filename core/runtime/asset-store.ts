/**
 * The runtime's one door to storage: how an asset's attempt is materialized and recorded, how a
 * stored asset is read back as a downstream input, what the warehouse already holds, and the run
 * history. The runtime knows nothing else of storage; `storage/` implements this on DuckDB.
 */
import type { AnyAssetsDefinition, AssetLogger, AssetMetadata } from '../kernel/asset-definition.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import type { MaterializationStatus, RunStatus } from '../kernel/statuses.ts';
import type { CheckResult } from './check-result.ts';

/** One asset at one partition (`null`: unpartitioned). */
export interface AssetPartition {
  readonly asset: string;
  readonly partitionKey: string | null;
}

/** What one attempt at an asset is given. */
export interface AttemptSpec {
  readonly runId: string;
  readonly partitionKey: string | null;
  readonly force: boolean;
  /** 1, 2, 3… */
  readonly attempt: number;
  readonly startedAt: Date;
  /** Aborted when the run is cancelled; storage stops its statements then. */
  readonly signal: AbortSignal;
  readonly log: AssetLogger;
  /** Upstream inputs by input name, as the asset's kind hands them to its code. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The resources the asset declared. */
  readonly resources: ResourceValues;
  /** The asset's code version, recorded with it; null when static analysis could not derive one. */
  readonly codeVersion: string | null;
  /** Every asset of the project, to catch SQL reading one the asset does not declare. */
  readonly projectAssets: ReadonlySet<string>;
}

/** A stored asset as its downstream sees it. */
export interface LoadedAsset {
  /** What downstream code receives: a table reference, a value… */
  readonly input: unknown;
  /** Whether it is empty, which skips downstream assets that do not run on empty upstream. */
  readonly empty: boolean;
}

/**
 * What an attempt that ran to the end produced. When one of `checks` is blocking (a failed `error`
 * check), nothing was stored: the previous data stays, and the store has recorded the asset
 * `check_failed` with its check results.
 */
export interface AttemptOutcome extends LoadedAsset {
  /** Rows written (the partition's rows for a partitioned asset); null for kinds without rows. */
  readonly rowCount: number | null;
  readonly metadata: AssetMetadata;
  /** The asset's checks, run on its new rows before they were stored. */
  readonly checks: readonly CheckResult[];
}

/** What a run of checks on stored rows is given (`materialize --checks-only`). */
export interface StoredCheckSpec {
  readonly runId: string;
  readonly partitionKey: string | null;
  readonly signal: AbortSignal;
  /** The resources the asset declared, which its checks read. */
  readonly resources: ResourceValues;
}

export interface RunRecord {
  readonly runId: string;
  readonly startedAt: Date;
  readonly selection: string;
  readonly exclude: string | null;
  readonly partitionKey: string;
  readonly force: boolean;
}

/** The history row of an asset that did not materialize (skipped, failed, cancelled…). */
export interface OutcomeRecord {
  readonly runId: string;
  readonly asset: string;
  readonly partitionKey: string | null;
  readonly status: MaterializationStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly attempts: number;
  readonly error: string | null;
  readonly reason: string | null;
  readonly codeVersion: string | null;
  /** The upstream assets it is declared with. */
  readonly upstream: readonly string[];
}

/**
 * Where runs and the outcomes of assets that did not materialize are recorded. A store may hold
 * outcomes (and materializations it judged safe to hold) for a later commit; `recordRunStart` and
 * `recordRunEnd` resolve only once they and everything recorded before them are durable.
 */
export interface RunHistory {
  /** Marks runs left `running` by a process that died as `interrupted`. */
  markInterruptedRuns(): Promise<void>;
  recordRunStart(run: RunRecord): Promise<void>;
  recordRunEnd(runId: string, status: RunStatus): Promise<void>;
  recordOutcome(record: OutcomeRecord): Promise<void>;
}

export interface AssetStore {
  readonly history: RunHistory;
  /** Which of `wanted` have a materialization in the warehouse. */
  holdings(wanted: readonly AssetPartition[]): Promise<ReadonlySet<string>>;
  /** The status of the latest recorded outcome of each of `wanted` that has one, by `holdingKey`. */
  latestOutcomes(wanted: readonly AssetPartition[]): Promise<ReadonlyMap<string, MaterializationStatus>>;
  /** A stored asset, read back for a downstream asset. */
  load(asset: AnyAssetsDefinition, partitionKey: string | null): Promise<LoadedAsset>;
  /**
   * One attempt: runs the asset's code and stores its result together with its history record,
   * all or nothing; rejects, leaving the previous data and history as they were, when it fails.
   * A store may commit the result later, together with others' (a pure computation: no resources,
   * no statement sent; or an attempt whose statements it can send again), but before any asset
   * with resources starts, before the first statement of an asset that reads it, and at the run's end.
   */
  materialize(asset: AnyAssetsDefinition, attempt: AttemptSpec): Promise<AttemptOutcome>;
  /** Runs the asset's checks on its stored rows for the partition and records the results; changes no data. */
  checkStored(asset: AnyAssetsDefinition, spec: StoredCheckSpec): Promise<readonly CheckResult[]>;
}

/** The key of an asset partition in a holdings set. */
export function holdingKey(held: AssetPartition): string {
  return `${held.asset}@${held.partitionKey ?? ''}`;
}
