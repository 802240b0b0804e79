/**
 * Writes MercadoLibre responses in the recorded-sample layout, from listings given per category and
 * page, for pipeline tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Listing = Record<string, unknown>;

/** A plausible listing; `fields` override or add keys (`undefined` removes one). */
export function listing(id: string | null, fields: Listing = {}): Listing {
  const base: Listing = {
    id,
    site_id: 'MLA',
    title: `Listing ${id}`,
    price: 1000,
    currency_id: 'ARS',
    sold_quantity: 5,
    thumbnail: `http://http2.mlstatic.com/D_${id}-I.jpg`,
    permalink: `https://articulo.mercadolibre.com.ar/${id}-listing-_JM`,
    category_id: 'MLA1055',
  };
  const merged = { ...base, ...fields };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** Writes `categories.json` and `search/<category>/<offset>.json` (pages of 50) into `dir`. */
export function writeResponses(dir: string, pagesByCategory: Readonly<Record<string, readonly (readonly Listing[])[]>>): string {
  const categories = Object.keys(pagesByCategory).map((id) => ({ id, name: `Category ${id}` }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'categories.json'), JSON.stringify(categories));
  for (const [category, pages] of Object.entries(pagesByCategory)) {
    const total = pages.reduce((sum, page) => sum + page.length, 0);
    pages.forEach((results, index) => {
      mkdirSync(join(dir, 'search', category), { recursive: true });
      const body = {
        site_id: 'MLA',
        country_default_time_zone: 'GMT-03:00',
        paging: { total, primary_results: total, offset: index * 50, limit: 50 },
        results,
        sort: { id: 'relevance', name: 'More relevant' },
        available_sorts: [],
        filters: [],
        available_filters: [],
      };
      writeFileSync(join(dir, 'search', category, `${index * 50}.json`), JSON.stringify(body));
    });
  }
  return dir;
}
