/**
 * Renders the MercadoLibre sales alert (subject, HTML and plain text) from the nunjucks templates
 * `sales-alert.html.njk` and `sales-alert.txt.njk`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ConfigError } from 'duckdag';
import { withoutBidiFormatting, withoutControlCharacters } from './display-text.ts';

/** A listing whose estimated revenue reached the alert threshold. */
export interface HighVolumeSale {
  readonly id: string;
  readonly title: string;
  readonly permalink: string | null;
  /** As MercadoLibre serves it, usually plain `http://`; the email upgrades it to `https://`. */
  readonly thumbnail: string | null;
  readonly price: number;
  readonly currency_id: string;
  readonly price_ars: number;
  /** MercadoLibre's referential bucket (1, 2, 3, 4, 5, 25, ..., 500, 5000, 50000), not an exact count. */
  readonly sold_quantity: number;
  /** `price_ars × sold_quantity`: an estimate, since `sold_quantity` is a bucket. */
  readonly revenue_ars: number;
}

/** A listing that entered, left or moved in the high-volume set since the previous day. */
export interface ListingChange {
  readonly id: string;
  readonly title: string;
  readonly permalink: string | null;
  readonly previous_revenue_ars: number | null;
  readonly revenue_ars: number | null;
  readonly revenue_change_ars: number | null;
  readonly previous_sold_quantity: number | null;
  readonly sold_quantity: number | null;
}

/** A category's high-volume listings and revenue, and the change from the previous day. */
export interface CategorySummary {
  readonly category_id: string;
  readonly listings: number;
  readonly revenue_ars: number;
  readonly previous_listings: number | null;
  readonly listings_change: number | null;
}

/** What changed since the previous day; `comparedWith` is `null` when that day was never materialized. */
export interface SalesAlertChanges {
  readonly comparedWith: string | null;
  readonly enteredCount: number;
  readonly leftCount: number;
  readonly movedCount: number;
  /** The first of each, by estimated revenue. */
  readonly entered: readonly ListingChange[];
  readonly left: readonly ListingChange[];
  readonly moved: readonly ListingChange[];
  readonly categories: readonly CategorySummary[];
}

/** What one alert email reports. */
export interface SalesAlertInput {
  /** The run partition, `YYYY-MM-DD`. */
  readonly partitionKey: string;
  /** The revenue threshold in ARS. */
  readonly threshold: number;
  /** How many listings reached the threshold, including those not passed in `listings`. */
  readonly totalCount: number;
  readonly listings: readonly HighVolumeSale[];
  readonly changes: SalesAlertChanges;
}

/** A rendered email, ready to hand to a mail transport. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** How {@link renderSalesAlert} finds its templates and how many listings it shows. */
export interface RenderSalesAlertOptions {
  /**
   * The folder holding `sales-alert.html.njk` and `sales-alert.txt.njk`.
   * @default the repository's `templates/`
   */
  readonly templatesDir?: string;
  /**
   * How many listings the table shows, highest estimated revenue first.
   * @default 50
   */
  readonly limit?: number;
}

interface TemplateEnvironments {
  readonly html: nunjucks.Environment;
  readonly text: nunjucks.Environment;
}

const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const DEFAULT_LIMIT = 50;

const environmentsByDir = new Map<string, TemplateEnvironments>();

/**
 * Renders the sales alert email: a subject with the date and count, an HTML body with a table of the
 * top listings by estimated revenue, and a plain-text body with the same content.
 *
 * @example
 * const email = renderSalesAlert({ partitionKey: '2026-11-24', threshold: 7_000_000, totalCount: 37, listings });
 * email.subject; // 'MercadoLibre sales alert 2026-11-24: 37 listings ≥ ARS 7.000.000'
 */
export function renderSalesAlert(input: SalesAlertInput, options: RenderSalesAlertOptions = {}): RenderedEmail {
  const environments = environmentsFor(path.resolve(options.templatesDir ?? DEFAULT_TEMPLATES_DIR));
  const subject = salesAlertSubject(input);
  const context = templateContext(input, subject, resolveLimit(options.limit));
  return {
    subject,
    html: environments.html.render('sales-alert.html.njk', context),
    text: environments.text.render('sales-alert.txt.njk', context),
  };
}

function salesAlertSubject(input: SalesAlertInput): string {
  const noun = input.totalCount === 1 ? 'listing' : 'listings';
  const { changes } = input;
  const change = changes.comparedWith === null ? '' : changes.enteredCount > 0 ? `${changes.enteredCount} new, ` : 'no new listing, ';
  return `MercadoLibre sales alert ${input.partitionKey}: ${change}${input.totalCount} ${noun} ≥ ${formatMoney(input.threshold)}`;
}

/** "12 new since 2026-11-25, 3 left, 5 moved", "no change since 2026-11-25", or why there is no comparison. */
function changeSummary(changes: SalesAlertChanges): string {
  if (changes.comparedWith === null) return 'No earlier day to compare with: the first report, or the previous day was never materialized.';
  const parts = [`${changes.enteredCount} new since ${changes.comparedWith}`, `${changes.leftCount} left`, `${changes.movedCount} moved`];
  if (changes.enteredCount + changes.leftCount + changes.movedCount === 0) return `No change since ${changes.comparedWith}.`;
  return `${parts.join(', ')}.`;
}

function templateContext(input: SalesAlertInput, subject: string, limit: number): object {
  const listings = topByRevenue(input.listings, limit).map((listing) => ({
    ...listing,
    id: withoutControlCharacters(listing.id),
    title: withoutControlCharacters(listing.title),
  }));
  const clean = (change: ListingChange) => ({ ...change, id: withoutControlCharacters(change.id), title: withoutControlCharacters(change.title) });
  const { changes } = input;
  const largest = Math.max(0, ...changes.categories.map((category) => category.revenue_ars));
  return {
    subject,
    partitionKey: input.partitionKey,
    threshold: input.threshold,
    totalCount: input.totalCount,
    listings,
    moreCount: Math.max(0, input.totalCount - listings.length),
    changeSummary: changeSummary(changes),
    compared: changes.comparedWith !== null,
    entered: changes.entered.map(clean),
    moreEntered: Math.max(0, changes.enteredCount - changes.entered.length),
    left: changes.left.map(clean),
    moreLeft: Math.max(0, changes.leftCount - changes.left.length),
    moved: changes.moved.map(clean),
    moreMoved: Math.max(0, changes.movedCount - changes.moved.length),
    categories: changes.categories.map((category) => ({
      ...category,
      category_id: withoutControlCharacters(category.category_id),
      // Bar widths in whole percent of the largest category, at least 1 so every bar shows.
      bar: largest === 0 ? 0 : Math.max(1, Math.round((category.revenue_ars / largest) * 100)),
    })),
  };
}

function topByRevenue(listings: readonly HighVolumeSale[], limit: number): HighVolumeSale[] {
  return [...listings]
    .sort((a, b) => b.revenue_ars - a.revenue_ars || compareStrings(a.id, b.id))
    .slice(0, limit);
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function resolveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (Number.isInteger(limit) && limit > 0) return limit;
  throw new ConfigError(
    'DUCKDAG_EMAIL_LIMIT_INVALID',
    `the sales alert limit must be a positive integer, got ${limit}`,
  );
}

function environmentsFor(templatesDir: string): TemplateEnvironments {
  let environments = environmentsByDir.get(templatesDir);
  if (environments === undefined) {
    environments = { html: createEnvironment(templatesDir, true), text: createEnvironment(templatesDir, false) };
    environmentsByDir.set(templatesDir, environments);
  }
  return environments;
}

function createEnvironment(templatesDir: string, autoescape: boolean): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(templatesDir);
  const environment = new nunjucks.Environment(loader, {
    autoescape,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  environment.addFilter('money', formatMoney);
  environment.addFilter('quantity', formatQuantity);
  environment.addFilter('https', upgradeToHttps);
  environment.addFilter('unbidi', withoutBidiFormatting);
  environment.addFilter('signed', formatSigned);
  return environment;
}

const wholeFormat = new Intl.NumberFormat('es-AR', { maximumFractionDigits: 0 });
const centsFormat = new Intl.NumberFormat('es-AR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `ARS 12.219,53`, `ARS 7.000.000`: es-AR grouping, cents only when there are any. */
function formatMoney(amount: number, currency = 'ARS'): string {
  const digits = Number.isInteger(amount) ? wholeFormat : centsFormat;
  return `${currency} ${digits.format(amount)}`;
}

/** `+3`, `−2`, `±0`: a change, always with its sign. */
function formatSigned(change: number): string {
  if (change === 0) return '±0';
  return `${change > 0 ? '+' : '−'}${wholeFormat.format(Math.abs(change))}`;
}

function formatQuantity(quantity: number): string {
  return wholeFormat.format(quantity);
}

/** The same URL over https; null for anything that is not an http(s) URL, so no `javascript:` link gets through. */
function upgradeToHttps(url: string | null): string | null {
  if (url === null) return null;
  if (/^https:\/\//i.test(url)) return url;
  if (/^http:\/\//i.test(url)) return `https://${url.slice('http://'.length)}`;
  return null;
}
