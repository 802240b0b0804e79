/** `rejected_listings`: the raw listings that cannot be used, each with the reason. */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { sqlAsset } from '../core/sql-asset.ts';
import { checkedListings, rejectedListingsQuery } from './listing-queries.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

export function rejectedListingsAsset(settings: PipelineSettings, raw: TableAssetDefinition) {
  return sqlAsset({
    name: 'rejected_listings',
    ...dailySnapshot,
    tags: { layer: 'clean' },
    description: 'Raw listings that cannot be used (no id; a bad price or sold_quantity), with the reason.',
    deps: { raw },
    query: ({ raw }) => rejectedListingsQuery(checkedListings(raw, settings.usdArsRate)),
  });
}
