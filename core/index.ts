/**
 * duckdag's public API (`import … from 'duckdag'`): define assets, resources and the project
 * config; plan and run them from code or the CLI.
 */
export type {
  AnyAssetsDefinition,
  AppendValue,
  AssetDeps,
  AssetExecutionContext,
  AssetInputs,
  AssetMetadata,
  AssetsDefinition,
  AssetSpec,
  RowAppender,
  TableAssetContext,
  TableAssetDefinition,
  TableOutput,
  TableRef,
  ValueAssetContext,
  ValueAssetDefinition,
} from './kernel/asset-definition.ts';
export { UpstreamEmptyPolicy } from './kernel/asset-definition.ts';
export { CheckSeverity, type AssetCheck, type AssetCheckSpec, type CheckContext, type CheckOptions, type CheckThreshold } from './kernel/asset-check.ts';
export { acceptedValues, freshness, notNull, relationships, rowCount, sqlCheck, unique, type SqlCheckSpec } from './kernel/built-in-checks.ts';
export { AssetGraph } from './kernel/asset-graph.ts';
export { selectAssets } from './kernel/asset-selection.ts';
export { dailyPartitions, parsePartitionKey, shiftPartitionKey, todayPartitionKey, type DailyPartitions } from './kernel/daily-partitions.ts';
export { previousPartition, type PartitionOffsetDep } from './kernel/partition-mapping.ts';
export { duckdagVersion } from './kernel/duckdag-version.ts';
export {
  AssetFailure,
  CancelledError,
  ConfigError,
  DefinitionError,
  DuckdagError,
  PlanError,
  SelectionError,
  UserCodeError,
  WarehouseBusyError,
  WarehouseError,
  describeError,
} from './kernel/errors.ts';
export { resource, type ResourcesOf, type ResourceType } from './kernel/resources.ts';
export type { RetryPolicy } from './kernel/retry-policy.ts';
export { identifier, joinSql, literal, Sql, sql, type SqlValue } from './kernel/sql.ts';
export { sqlAsset, type SqlAssetSpec } from './kernel/sql-asset.ts';
export { resolveAssetSpec, type ResolvedAssetSpec } from './kernel/resolve-asset-spec.ts';
export { MaterializationStatus, RunStatus } from './kernel/statuses.ts';
export { tableAsset, type TableAssetSpec } from './kernel/table-asset.ts';
export { isEmptyValue, valueAsset, type ValueAssetSpec } from './kernel/value-asset.ts';
export type { AssetStore, AttemptOutcome, AttemptSpec, LoadedAsset } from './runtime/asset-store.ts';
export { executePlan, materialize, type ExecuteOptions, type MaterializeOptions } from './runtime/executor.ts';
export { buildPlan, planRun, type PlanRequest, type PlanStep, type RunPlan } from './runtime/run-plan.ts';
export type { AssetResult, RunEvent, RunResult } from './runtime/run-result.ts';
export type { CheckResult } from './runtime/check-result.ts';
export { defineAssetKind, type AssetKind, type KindAttempt, type StagedResult } from '../storage/asset-kind.ts';
export type { StatementReader } from '../storage/statement-reader.ts';
export { AssetKinds } from '../storage/asset-kinds.ts';
export { DuckdbAssetStore } from '../storage/duckdb-asset-store.ts';
export type { DuckdbSettings } from '../storage/duckdb-settings.ts';
export { Warehouse } from '../storage/warehouse.ts';
export { defineConfig, type DuckdagConfig, type ResolvedConfig } from './project/duckdag-config.ts';
export { loadConfig } from './project/load-config.ts';
export { formatGraph, GraphFormat } from './cli/graph-formats.ts';
