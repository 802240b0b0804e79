/**
 * `graph --format svg`: the asset graph drawn left to right, one node per asset shaped by its kind,
 * coloured by its status, with its rows and last run; groups boxed; a legend. The HTML page shows
 * the same drawing. Every text comes from users and is escaped.
 */
import { type GraphData, NodeStatus, statusLabels } from './graph-data.ts';
import { type Box, type GraphLayout, layoutGraph } from './graph-layout.ts';

const nodeHeight = 60;
const legendHeight = 34;
/** Approximate widths of a character of the node's name (bold 13 px) and of its other lines (11 px). */
const nameCharWidth = 7.6;
const lineCharWidth = 6;

/** The colours of each status: fill and stroke of its nodes and its legend swatch. */
const statusColours: Readonly<Record<NodeStatus, readonly [string, string]>> = {
  materialized: ['#e3f4e4', '#2e7d32'],
  skipped: ['#fff6d6', '#b58900'],
  failed: ['#fde2e1', '#c62828'],
  check_failed: ['#fce4ec', '#ad1457'],
  upstream_failed: ['#ffe9d2', '#e65100'],
  cancelled: ['#ece6f6', '#5e35b1'],
  never: ['#ffffff', '#8a8f98'],
};

/** The drawing's style, inside the SVG so that the file stands alone. */
const svgStyle = `
.duckdag-graph { font-family: Helvetica, Arial, sans-serif; }
.duckdag-graph .group rect { fill: #f6f7f9; stroke: #d5d9e0; }
.duckdag-graph .group text { font-size: 13px; fill: #58606e; font-weight: bold; }
.duckdag-graph .edge { fill: none; stroke: #7d8592; stroke-width: 1.3; }
.duckdag-graph .node .shape { stroke-width: 1.6; }
.duckdag-graph .node .name { font-size: 13px; font-weight: bold; fill: #1d2330; }
.duckdag-graph .node .summary, .duckdag-graph .node .status-line { font-size: 11px; fill: #434a57; }
.duckdag-graph .node .stale { font-size: 10px; font-weight: bold; fill: #b35c00; text-transform: uppercase; }
.duckdag-graph .legend text { font-size: 12px; fill: #1d2330; }
.duckdag-graph [data-status="never"] .shape, .duckdag-graph .swatch[data-status="never"] { stroke-dasharray: 4 3; }
${Object.entries(statusColours)
  .map(([status, [fill, stroke]]) => `.duckdag-graph [data-status="${status}"] .shape, .duckdag-graph .swatch[data-status="${status}"] { fill: ${fill}; stroke: ${stroke}; }`)
  .join('\n')}
`;

/** Escapes text for SVG and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** How many characters of a node's lines fit in its width; the page truncates updated lines the same way. */
export function fittingChars(width: number): number {
  return Math.floor((width - 20) / lineCharWidth);
}

/** `text` cut to `chars` characters, with an ellipsis when cut. */
export function truncate(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(0, chars - 1))}…`;
}

/** Lays the graph out and draws it. */
export async function drawGraph(data: GraphData): Promise<string> {
  const nodes = data.assets.map((asset) => ({
    name: asset.name,
    group: asset.group,
    width: Math.round(Math.min(380, Math.max(200, asset.name.length * nameCharWidth + 30))),
    height: nodeHeight,
  }));
  return renderSvg(data, await layoutGraph(nodes, data.edges));
}

function renderSvg(data: GraphData, layout: GraphLayout): string {
  const key = legend(data);
  const width = Math.max(layout.width, key.width);
  const height = layout.height + legendHeight;
  const groups = layout.groups.map(
    (group) =>
      `<g class="group"><rect x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" rx="8"/>` +
      `<text x="${group.x + 10}" y="${group.y + 18}">${escapeXml(group.name)}</text></g>`,
  );
  const edges = layout.edges.map(
    (edge) => `<path class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" d="${edge.path}" marker-end="url(#duckdag-arrow)"/>`,
  );
  const nodes = data.assets.map((asset) => {
    const box = layout.nodes.get(asset.name);
    if (box === undefined) throw new Error(`Graphviz placed no node for asset ${asset.name}`);
    const status = data.statuses[asset.name];
    const chars = fittingChars(box.width);
    const title = asset.description === '' ? asset.name : `${asset.name}: ${asset.description}`;
    return (
      `<g class="node" data-asset="${escapeXml(asset.name)}" data-status="${status?.status ?? NodeStatus.never}" data-state="${asset.staleness.state}" data-chars="${chars}" transform="translate(${box.x},${box.y})" tabindex="0">` +
      `<title>${escapeXml(title)}</title>${shape(asset.shape, box)}` +
      `<text class="name" x="10" y="19">${escapeXml(truncate(asset.name, Math.floor((box.width - 20) / nameCharWidth)))}</text>` +
      (asset.staleness.state === 'stale' ? `<text class="stale" x="${box.width - 8}" y="15" text-anchor="end"><title>${escapeXml(asset.staleness.causes.join('; '))}</title>stale</text>` : '') +
      `<text class="summary" x="10" y="36">${escapeXml(truncate(status?.summary ?? asset.kind, chars))}</text>` +
      `<g class="status"><title>${escapeXml(status?.detail ?? status?.statusLine ?? '')}</title>` +
      `<text class="status-line" x="10" y="51">${escapeXml(truncate(status?.statusLine ?? '', chars))}</text></g></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="duckdag-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<style>${svgStyle}</style>` +
    `<defs><marker id="duckdag-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
    `<path d="M0,0L10,5L0,10z" fill="#7d8592"/></marker></defs>` +
    `<g class="viewport" transform="translate(0,${legendHeight})"><g class="groups">${groups.join('')}</g>` +
    `<g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g></g>` +
    key.markup +
    `</svg>\n`
  );
}

/** A node's outline: a rounded box for tables, a page with a folded corner for documents. */
function shape(kind: 'table' | 'document', box: Box): string {
  if (kind === 'table') return `<rect class="shape" width="${box.width}" height="${box.height}" rx="6"/>`;
  const fold = 12;
  return `<path class="shape" d="M0,0H${box.width - fold}L${box.width},${fold}V${box.height}H0Z M${box.width - fold},0V${fold}H${box.width}"/>`;
}

/** The partition shown and each status's colour, with how many assets have it. */
function legend(data: GraphData): { markup: string; width: number } {
  const counts = new Map<string, number>();
  for (const status of Object.values(data.statuses)) counts.set(status.status, (counts.get(status.status) ?? 0) + 1);
  let x = 10;
  const items = [`<text x="${x}" y="21">partition ${escapeXml(data.partitionKey)}</text>`];
  x += 130;
  for (const status of Object.values(NodeStatus)) {
    const label = `${statusLabels[status]} (${counts.get(status) ?? 0})`;
    items.push(
      `<g class="legend-item" data-status="${status}" transform="translate(${x},8)"><rect class="swatch" data-status="${status}" width="16" height="16" rx="3"/>` +
        `<text x="22" y="13">${statusLabels[status]} (<tspan class="count">${counts.get(status) ?? 0}</tspan>)</text></g>`,
    );
    x += 30 + label.length * 6.6;
  }
  return { markup: `<g class="legend">${items.join('')}</g>`, width: Math.round(x) };
}
