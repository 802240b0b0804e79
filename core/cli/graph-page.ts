/**
 * `graph --format html`: one self-contained page (the drawing, its style and script inline, no
 * network) with the graph and its statuses embedded as one JSON blob that the page's script reads
 * and can be handed again with new statuses (see `graph-page/graph-page.js`).
 */
import { readFileSync } from 'node:fs';
import type { GraphData } from './graph-data.ts';
import { escapeXml } from './graph-svg.ts';

/** Read when a page is made, from beside this file. */
function pageFile(name: string): string {
  return readFileSync(new URL(`./graph-page/${name}`, import.meta.url), 'utf8');
}

/** JSON that cannot end the `<script>` element holding it, nor break the JavaScript reading it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

/** What `duckdag serve` adds to the page: its navigation (markup) and the script that keeps it live. */
export interface LivePage {
  readonly nav: string;
  readonly script: string;
  readonly style: string;
}

/** The page for `data`, drawn as `svg` (from `drawGraph`); `live` when served by `duckdag serve`. */
export function graphPage(data: GraphData, svg: string, live?: LivePage): string {
  const title = `duckdag graph · partition ${data.partitionKey}`;
  const connect = live === undefined ? '' : " connect-src 'self'; form-action 'self';";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:;${connect}">
<title>${escapeXml(title)}</title>
<style>${pageFile('graph-page.css')}${live?.style ?? ''}</style>
</head>
<body>
${live?.nav ?? ''}
<header>
<strong>duckdag</strong>
<input id="search" type="search" placeholder="Find an asset, or +asset+ to focus" list="asset-names" aria-label="Find an asset" autocomplete="off">
<datalist id="asset-names"></datalist>
<button id="fit" type="button">Fit</button>
<button id="clear-focus" type="button" hidden>Clear focus</button>
<span id="message" role="status"></span>
</header>
<main>
<div id="canvas">${svg}</div>
<aside id="panel" hidden></aside>
</main>
<script type="application/json" id="duckdag-graph-data">${scriptJson(data)}</script>
<script>${pageFile('graph-page.js')}</script>
${live === undefined ? '' : `<script>${live.script}</script>`}
</body>
</html>
`;
}
