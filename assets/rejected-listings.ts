/** `rejected_listings`: the raw listings that cannot be used, each with the reason. */
import type { TableAssetDefinition } from '../core/asset-definition.ts';
import { sql } from '../core/sql.ts';
import { sqlAsset } from '../core/sql-asset.ts';
import { classifiedListings } from './classified-listings.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

export function rejectedListingsAsset(settings: PipelineSettings, raw: TableAssetDefinition) {
  return sqlAsset({
    name: 'rejected_listings',
    ...dailySnapshot,
    tags: { layer: 'clean' },
    description: 'Raw listings that cannot be used (no id; a missing, non-numeric or negative price), with the reason.',
    deps: { raw },
    query: ({ raw }) => sql`
      SELECT snapshot_date, id, search_category_id AS category_id, page_offset, position, reject_reason AS reason, listing
      FROM ${classifiedListings(raw, settings.usdArsRate)}
      WHERE reject_reason IS NOT NULL`,
  });
}
