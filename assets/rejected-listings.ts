/** `rejected_listings`: the raw listings that cannot be used, each with the reason. */
import { sqlAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { checkedListings, rejectedListingsQuery } from './listing-queries.ts';
import { settings } from './pipeline-resources.ts';
import { rawListings } from './raw-listings.ts';

export const rejectedListings = sqlAsset({
  name: 'rejected_listings',
  ...dailySnapshot,
  tags: { layer: 'clean' },
  description: 'Raw listings that cannot be used (no id; a bad price or sold_quantity), with the reason.',
  deps: { raw: rawListings },
  resources: { settings },
  query: ({ raw }, context) => rejectedListingsQuery(checkedListings(raw, context.resources.settings.usdArsRate)),
});
