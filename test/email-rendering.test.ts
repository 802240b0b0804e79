import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderSalesAlert } from '../assets/email/sales-alert-template.ts';
import type { HighVolumeSale, SalesAlertInput } from '../assets/email/sales-alert-template.ts';

function sale(overrides: Partial<HighVolumeSale> = {}): HighVolumeSale {
  const base: HighVolumeSale = {
    id: 'MLA1116621831',
    title: 'Cámara Réflex Ñandú 24mp + Lente 18-55mm',
    permalink: 'https://articulo.mercadolibre.com.ar/MLA-1116621831-camara-reflex-nandu-_JM',
    thumbnail: 'http://http2.mlstatic.com/D_612345-MLA51234567890_092022-I.jpg',
    price: 12219.53,
    currency_id: 'ARS',
    price_ars: 12219.53,
    sold_quantity: 5000,
    revenue_ars: 61_097_650,
  };
  return { ...base, ...overrides };
}

function alert(listings: readonly HighVolumeSale[], totalCount = listings.length): SalesAlertInput {
  const changes = { comparedWith: null, enteredCount: 0, leftCount: 0, movedCount: 0, entered: [], left: [], moved: [], categories: [] };
  return { partitionKey: '2026-11-24', threshold: 7_000_000, totalCount, listings, changes };
}

function manySales(count: number): HighVolumeSale[] {
  return Array.from({ length: count }, (_, index) =>
    sale({ id: `MLA${2_000_000_000 + index}`, title: `Listing number ${index}`, revenue_ars: 100_000_000 - index }),
  );
}

function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

test('renderSalesAlert subject names the date, the count and the threshold', () => {
  const email = renderSalesAlert(alert(manySales(3), 37));
  assert.equal(email.subject, 'MercadoLibre sales alert 2026-11-24: 37 listings ≥ ARS 7.000.000');
  assert.equal(renderSalesAlert(alert([sale()])).subject, 'MercadoLibre sales alert 2026-11-24: 1 listing ≥ ARS 7.000.000');
});

test('renderSalesAlert heading states the date, the count and the threshold in both parts', () => {
  const email = renderSalesAlert(alert(manySales(3), 37));
  assert.match(email.html, /37 listings reached ARS 7\.000\.000/);
  assert.match(email.html, /2026-11-24/);
  assert.match(email.text, /37 listings reached ARS 7\.000\.000/);
  assert.match(email.text, /2026-11-24/);
});

test('renderSalesAlert shows the top 50 by revenue and says how many more there are', () => {
  const email = renderSalesAlert(alert(manySales(60), 72));
  assert.equal(countMatches(email.html, /MLA20000000\d\d/g), 50);
  assert.match(email.html, /MLA2000000049/);
  assert.doesNotMatch(email.html, /MLA2000000050/);
  assert.match(email.html, /and 22 more listings/);
  assert.equal(countMatches(email.text, /MLA20000000\d\d/g), 50);
  assert.match(email.text, /and 22 more listings/);
});

test('renderSalesAlert orders listings by estimated revenue, highest first', () => {
  const low = sale({ id: 'MLA1', title: 'Low', revenue_ars: 8_000_000 });
  const high = sale({ id: 'MLA2', title: 'High', revenue_ars: 90_000_000 });
  const email = renderSalesAlert(alert([low, high]), { limit: 1 });
  assert.match(email.text, /1\. High/);
  assert.doesNotMatch(email.text, /Low/);
  assert.match(email.text, /and 1 more listing not shown/);
});

test('renderSalesAlert says nothing about more listings when all are shown', () => {
  const email = renderSalesAlert(alert(manySales(3)));
  assert.doesNotMatch(email.html, /more listing/);
  assert.doesNotMatch(email.text, /more listing/);
});

test('renderSalesAlert rejects a limit that is not a positive integer', () => {
  assert.throws(() => renderSalesAlert(alert([sale()]), { limit: 0 }), { code: 'DUCKDAG_EMAIL_LIMIT_INVALID' });
});

test('renderSalesAlert escapes a hostile title in HTML and keeps it literal in text', () => {
  const email = renderSalesAlert(alert([sale({ title: '<script>alert(1)</script>' })]));
  assert.doesNotMatch(email.html, /<script>/);
  assert.match(email.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(email.text, /<script>alert\(1\)<\/script>/);
});

test('renderSalesAlert writes & as &amp; in HTML and as & in text', () => {
  const email = renderSalesAlert(alert([sale({ title: 'Mate & Bombilla "Gaucho"' })]));
  assert.match(email.html, /Mate &amp; Bombilla &quot;Gaucho&quot;/);
  assert.match(email.text, /Mate & Bombilla "Gaucho"/);
  assert.doesNotMatch(email.text, /&amp;|&quot;/);
});

test('renderSalesAlert upgrades http thumbnails to https on the same host and path', () => {
  const email = renderSalesAlert(alert([sale()]));
  assert.match(email.html, /<img src="https:\/\/http2\.mlstatic\.com\/D_612345-MLA51234567890_092022-I\.jpg"/);
  assert.doesNotMatch(email.html, /http:\/\//);
  assert.match(email.html, /width="64"/);
  assert.match(email.html, /alt="Cámara Réflex/);
});

test('renderSalesAlert links the title to the permalink and drops links that are not http(s)', () => {
  const linked = renderSalesAlert(alert([sale()]));
  assert.match(linked.html, /<a href="https:\/\/articulo\.mercadolibre\.com\.ar\/MLA-1116621831-camara-reflex-nandu-_JM"/);
  assert.match(linked.text, /https:\/\/articulo\.mercadolibre\.com\.ar\/MLA-1116621831/);
  const hostile = renderSalesAlert(alert([sale({ permalink: 'javascript:alert(1)', thumbnail: 'data:image/png;base64,AAAA' })]));
  assert.doesNotMatch(hostile.html, /javascript:|data:image/);
});

test('renderSalesAlert formats money es-AR style with the currency code', () => {
  const email = renderSalesAlert(alert([sale(), sale({ id: 'MLA9', currency_id: 'USD', price: 15000, price_ars: 18_750_000, sold_quantity: 1, revenue_ars: 18_750_000 })]));
  for (const part of [email.html, email.text]) {
    assert.match(part, /ARS 12\.219,53/);
    assert.match(part, /ARS 61\.097\.650/);
    assert.match(part, /USD 15\.000/);
    assert.match(part, /ARS 18\.750\.000/);
    assert.match(part, /5\.000/);
  }
});

test('renderSalesAlert rounds the estimated revenue to whole pesos', () => {
  const email = renderSalesAlert(alert([sale({ price_ars: 12219.53, sold_quantity: 500, revenue_ars: 12219.53 * 500 })]));
  assert.match(email.text, /Est\. revenue: +ARS 6\.109\.765\n/);
});

test('renderSalesAlert explains that units sold are buckets and revenue an estimate', () => {
  const email = renderSalesAlert(alert([sale()]));
  assert.match(email.html, /referential buckets/);
  assert.match(email.html, /251&ndash;500/);
  assert.match(email.html, /estimate/);
  assert.match(email.text, /referential buckets/);
  assert.match(email.text, /251–500/);
  assert.match(email.text, /estimate/);
});

test('renderSalesAlert signs off with duckdag and the run partition', () => {
  const email = renderSalesAlert(alert([sale()]));
  assert.match(email.html, /Sent by duckdag &middot; run partition 2026-11-24/);
  assert.match(email.text, /Sent by duckdag · run partition 2026-11-24/);
});

test('renderSalesAlert renders a listing without thumbnail or permalink', () => {
  const email = renderSalesAlert(alert([sale({ title: 'Sin foto ni enlace', thumbnail: null, permalink: null })]));
  assert.match(email.html, /Sin foto ni enlace/);
  assert.doesNotMatch(email.html, /<img|<a href/);
  assert.doesNotMatch(email.html, /null|undefined/);
  assert.match(email.text, /Sin foto ni enlace/);
  assert.doesNotMatch(email.text, /Link:|null|undefined/);
});

test('renderSalesAlert renders an alert with no listings', () => {
  const email = renderSalesAlert(alert([]));
  assert.match(email.subject, /: 0 listings/);
  assert.doesNotMatch(email.html, /<tbody>/);
  assert.match(email.text, /0 listings reached/);
});

test('renderSalesAlert reads templates from templatesDir with the money and https filters', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'duckdag-templates-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'sales-alert.html.njk'), '{{ threshold | money }} {{ listings[0].thumbnail | https }}');
  await writeFile(path.join(dir, 'sales-alert.txt.njk'), '{{ listings[0].title }}');
  const email = renderSalesAlert(alert([sale({ title: 'A & B' })]), { templatesDir: dir });
  assert.equal(email.html, 'ARS 7.000.000 https://http2.mlstatic.com/D_612345-MLA51234567890_092022-I.jpg');
  assert.equal(email.text, 'A & B');
});

test('renderSalesAlert removes NUL bytes, terminal escapes and line breaks from titles in both parts', () => {
  const email = renderSalesAlert(alert([sale({ title: 'Cámara\u0000 \u001b[31mRéflex\u001b[0m\r\nBcc: x@evil.test' })]));
  for (const part of [email.html, email.text]) {
    assert.ok(part.includes('Cámara  Réflex Bcc: x@evil.test'), part);
    assert.doesNotMatch(part, /[\u0000\u001b]/);
  }
});

test('renderSalesAlert isolates each title with <bdi> in HTML and drops direction overrides from the text part', () => {
  const email = renderSalesAlert(alert([sale({ title: 'Cámara \u202Egpj.exe' })]));
  assert.ok(email.html.includes('<bdi>Cámara \u202Egpj.exe</bdi>'), email.html);
  assert.ok(email.text.includes('1. Cámara gpj.exe\n'), email.text);
  assert.doesNotMatch(email.text, /\u202E/);
});
