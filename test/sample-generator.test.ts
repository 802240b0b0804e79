import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSample } from '../data/sample-generator.ts';
import { tempDir } from './support/temp-dir.ts';

interface Page {
  paging: { total: number; offset: number; limit: number };
  results: Record<string, unknown>[];
}

function pages(dir: string): { category: string; offset: number; page: Page }[] {
  return readdirSync(join(dir, 'search')).flatMap((category) =>
    readdirSync(join(dir, 'search', category)).map((file) => ({
      category,
      offset: Number(file.replace('.json', '')),
      page: JSON.parse(readFileSync(join(dir, 'search', category, file), 'utf8')) as Page,
    })),
  );
}

test('the same seed writes the same bytes', (t) => {
  const [a, b] = [tempDir(t), tempDir(t)];
  generateSample({ dir: a, listings: 400, seed: 7 });
  generateSample({ dir: b, listings: 400, seed: 7 });
  for (const { category, offset } of pages(a)) {
    const file = join('search', category, `${offset}.json`);
    assert.equal(readFileSync(join(a, file), 'utf8'), readFileSync(join(b, file), 'utf8'), file);
  }
});

test('the layout has categories.json and one search file per page of 50, named by offset', (t) => {
  const dir = tempDir(t);
  const summary = generateSample({ dir, listings: 3100 });
  const categories = JSON.parse(readFileSync(join(dir, 'categories.json'), 'utf8')) as { id: string; name: string }[];
  assert.equal(categories.length, 31);
  assert.ok(categories.some((category) => category.id === 'MLA1051' && category.name === 'Celulares y Teléfonos'));
  const all = pages(dir);
  assert.equal(all.length, summary.pages);
  for (const { offset, page } of all) {
    assert.equal(page.paging.offset, offset);
    assert.equal(page.paging.limit, 50);
    assert.ok(page.results.length <= 50);
    assert.ok(page.paging.total >= offset + page.results.length);
  }
  assert.equal(all.reduce((sum, { page }) => sum + page.results.length, 0), 3100);
});

test('the sample contains the API traps: repeated ids, missing sold_quantity, USD prices, null prices, decimals', (t) => {
  const dir = tempDir(t);
  generateSample({ dir, listings: 5000 });
  const items = pages(dir).flatMap(({ page }) => page.results);
  const ids = items.map((item) => item.id).filter((id) => id !== undefined);
  assert.ok(new Set(ids).size < ids.length, 'some ids repeat');
  assert.ok(items.some((item) => !('sold_quantity' in item)), 'some lack sold_quantity');
  assert.ok(items.some((item) => item.currency_id === 'USD'), 'some are in USD');
  assert.ok(items.some((item) => item.price === null), 'some have a null price');
  assert.ok(items.some((item) => typeof item.price === 'number' && !Number.isInteger(item.price)), 'some prices have decimals');
  assert.ok(items.every((item) => String(item.thumbnail).startsWith('http://')), 'thumbnails are plain http');
});

test('a sample larger than the real categories hold at perCategory each spreads over synthetic categories, none past perCategory', (t) => {
  const dir = tempDir(t);
  const summary = generateSample({ dir, listings: 400, perCategory: 10 });
  const categories = JSON.parse(readFileSync(join(dir, 'categories.json'), 'utf8')) as { id: string; name: string }[];
  assert.equal(summary.categories, 40);
  assert.equal(categories.length, 40);
  assert.equal(new Set(categories.map((category) => category.id)).size, 40, 'category ids are distinct');
  const listings = new Map<string, number>();
  for (const { category, page } of pages(dir)) listings.set(category, (listings.get(category) ?? 0) + page.results.length);
  assert.deepEqual([...new Set(listings.values())], [10]);
  assert.equal(listings.size, 40);
});
