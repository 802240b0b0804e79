/** `rejected_pages`: the search pages of a day that could not be used, each with the reason. */
import { sqlAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { rejectedPagesQuery } from './listing-queries.ts';
import { rawListings } from './raw-listings.ts';

export const rejectedPages = sqlAsset({
  name: 'rejected_pages',
  ...dailySnapshot,
  tags: { layer: 'clean' },
  description: 'Search pages that could not be read (not JSON, an HTML page, empty, over 16 MB, no results array), with the reason.',
  deps: { raw: rawListings },
  query: ({ raw }) => rejectedPagesQuery(raw),
});
