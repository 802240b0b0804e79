/**
 * The frame of every page of the web UI but the graph: its title, the navigation between pages,
 * and the package's style sheet and scripts (served from `/static/`, nothing from elsewhere).
 */
import { html, type Html } from './html.ts';

export const navigation = [
  ['/graph', 'Graph'],
  ['/runs', 'Runs'],
  ['/launch', 'Launch'],
  ['/query', 'Query'],
] as const;

export function navBar(current: string): Html {
  return html`<nav class="duckdag-nav"><strong>duckdag</strong>${navigation.map(
    ([href, label]) => html` <a href="${href}"${current === href ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>`;
}

/**
 * How a page follows the live feed: it reloads on `events` (`run` when a run starts or ends,
 * `statuses` when an asset starts or finishes) numbered after `since`, the feed's number when the
 * page was made, so it misses nothing that happened before its feed connected.
 */
export interface LiveReload {
  readonly events: readonly ('run' | 'statuses')[];
  readonly since: number;
}

export function webPage(options: { title: string; current: string; body: Html; live?: LiveReload }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · duckdag</title>
<link rel="stylesheet" href="/static/web-ui.css">
${options.live === undefined ? '' : html`<script src="/static/live-reload.js" data-events="${options.live.events.join(' ')}" data-since="${options.live.since}" defer></script>`}
</head>
<body>
${navBar(options.current)}
<main class="page">
${options.body}
</main>
</body>
</html>
`.text;
}

/** A table of `columns` and `rows`, each cell as text (objects as JSON). */
export function dataTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): Html {
  return html`<div class="table-wrap"><table class="data"><thead><tr>${columns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td${typeof cell === 'number' ? html` class="number"` : ''}>${cellText(cell)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A status as a coloured label. */
export function statusBadge(status: string): Html {
  return html`<span class="badge" data-status="${status}">${status.replaceAll('_', ' ')}</span>`;
}
