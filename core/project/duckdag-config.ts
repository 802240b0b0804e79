/**
 * The project's configuration, as written in `pipeline.config.ts`, and its resolved form. The
 * config's type checks that it provides every resource its assets declare.
 */
import type { AnyAssetsDefinition } from '../kernel/asset-definition.ts';
import type { AssetGraph } from '../kernel/asset-graph.ts';
import type { ResourceValues } from '../kernel/resources.ts';
import type { ScheduleDefinition, ScheduleSpec } from '../kernel/schedule-definition.ts';
import type { AssetKind } from '../../storage/asset-kind.ts';
import type { AssetKinds } from '../../storage/asset-kinds.ts';
import type { DuckdbSettings } from '../../storage/duckdb-settings.ts';

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** The resources the assets `A` declare, by key: what the config must provide. */
export type ResourcesRequiredBy<A extends readonly AnyAssetsDefinition[]> = [A[number]] extends [never]
  ? {}
  : UnionToIntersection<NonNullable<A[number]['__resources']>>;

/**
 * The resources, or a function that makes them: settings read from the environment are checked when
 * it runs, before any work, and a bad one stops the command with exit code 2.
 */
export type ResourcesOption<R> = R | (() => R);

/** `resources` is required as soon as an asset declares one. */
type ResourcesField<R> = [keyof R] extends [never] ? { readonly resources?: ResourcesOption<ResourceValues> } : { readonly resources: ResourcesOption<R> };

/** What `pipeline.config.ts` exports by default. */
export type DuckdagConfig<A extends readonly AnyAssetsDefinition[] = readonly AnyAssetsDefinition[]> = ResourcesField<ResourcesRequiredBy<A>> & {
  /** The project's assets: module-level constants, with their upstream assets by reference. */
  readonly assets: A;
  /** Asset kinds beyond the built-in `table` and `value`. */
  readonly kinds?: readonly AssetKind[];
  /** The warehouse file, relative to the config file. @default 'data/warehouse.duckdb' */
  readonly warehouse?: string;
  /** Most assets materializing at once. @default the number of CPU cores */
  readonly concurrency?: number;
  /** How long a command waits for another process to release the warehouse. @default 10000 */
  readonly lockTimeoutMs?: number;
  /** How DuckDB may use the machine while a command runs. */
  readonly duckdb?: DuckdbSettings;
  /** When `duckdag serve` materializes what. */
  readonly schedules?: readonly ScheduleSpec[];
};

/** The configuration after defaults, overrides and checks. */
export interface ResolvedConfig {
  readonly configPath: string;
  /** The folder of the config file; relative paths in it start here. */
  readonly rootDir: string;
  readonly graph: AssetGraph;
  readonly kinds: AssetKinds;
  readonly resources: ResourceValues;
  readonly warehousePath: string;
  readonly concurrency: number;
  readonly lockTimeoutMs: number;
  readonly duckdb: DuckdbSettings;
  readonly schedules: readonly ScheduleDefinition[];
}

/** Types a config object, checking it provides the resources its assets need; returns it unchanged. */
export function defineConfig<const A extends readonly AnyAssetsDefinition[]>(config: DuckdagConfig<A>): DuckdagConfig<A> {
  return config;
}
