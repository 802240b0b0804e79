/**
 * Dependencies on another partition of an upstream asset, as Dagster's time-window partition
 * mappings: `previousPartition(highVolumeSales)` hands an asset the upstream's partition of the day
 * before its own. The plan reads such a partition from the warehouse; when the warehouse does not
 * hold it, the input is `null` (a first day has no previous day), and it never skips its downstream.
 */
import type { AnyAssetsDefinition } from './asset-definition.ts';
import { DefinitionError } from './errors.ts';

/** An upstream asset, read at the partition `partitionOffset` days from the run's. */
export interface PartitionOffsetDep<A extends AnyAssetsDefinition = AnyAssetsDefinition> {
  readonly asset: A;
  readonly partitionOffset: number;
}

/**
 * The upstream asset's partition `days` days before the run's.
 * @example deps: { today: sales, yesterday: previousPartition(sales) }
 */
export function previousPartition<A extends AnyAssetsDefinition>(asset: A, days = 1): PartitionOffsetDep<A> {
  if (!Number.isInteger(days) || days < 1) {
    throw new DefinitionError('DUCKDAG_PARTITION_MAPPING_INVALID', `previousPartition(${asset.name}, days): days must be a positive integer, got ${days}`);
  }
  return { asset, partitionOffset: -days };
}

export function isPartitionOffsetDep(dep: unknown): dep is PartitionOffsetDep {
  return typeof dep === 'object' && dep !== null && 'partitionOffset' in dep && 'asset' in dep;
}
