/**
 * duckdag's public API: define assets and the project config; run them from code or the CLI.
 */
export type {
  AnyAssetDefinition,
  AssetDeps,
  AssetExecutionContext,
  AssetInputs,
  AssetMetadata,
  AssetSpec,
  TableAssetContext,
  TableAssetDefinition,
  TableOutput,
  TableRef,
  ValueAssetContext,
  ValueAssetDefinition,
} from './asset-definition.ts';
export { AssetKind, UpstreamEmptyPolicy } from './asset-definition.ts';
export { AssetGraph } from './asset-graph.ts';
export { selectAssets } from './asset-selection.ts';
export { dailyPartitions, parsePartitionKey, todayPartitionKey, type DailyPartitions } from './daily-partitions.ts';
export { defineConfig, type DuckdagConfig, type DuckdbSettings, type ResolvedConfig } from './duckdag-config.ts';
export {
  AssetFailure,
  ConfigError,
  DefinitionError,
  DuckdagError,
  SelectionError,
  UserCodeError,
  WarehouseBusyError,
  WarehouseError,
} from './errors.ts';
export { materialize, type MaterializeOptions } from './executor.ts';
export { formatGraph, GraphFormat } from './graph-formats.ts';
export { loadConfig } from './load-config.ts';
export type { RetryPolicy } from './retry-policy.ts';
export type { AssetResult, RunEvent, RunResult } from './run-result.ts';
export { identifier, joinSql, literal, Sql, sql, type SqlValue } from './sql.ts';
export { sqlAsset, type SqlAssetSpec } from './sql-asset.ts';
export { tableAsset, type TableAssetSpec } from './table-asset.ts';
export { valueAsset, isEmptyValue, type ValueAssetSpec } from './value-asset.ts';
export { Warehouse } from '../storage/warehouse.ts';
