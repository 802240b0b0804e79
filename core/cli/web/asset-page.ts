/**
 * An asset's page: what it is (description, kind, SQL, upstream and downstream), its status per
 * partition over the last 90 days, its latest materialization's metadata, and a preview of what
 * it holds for a partition: a table's first rows, or a value; a value with an `html` body (an
 * email) is shown as it would look, in a sandboxed frame that runs nothing and loads nothing.
 */
import type { AssetGraph } from '../../kernel/asset-graph.ts';
import { shiftPartitionKey, todayPartitionKey } from '../../kernel/daily-partitions.ts';
import { readAssetHistory, type MaterializationRecord } from '../../../storage/asset-history.ts';
import { partitionStatuses, storedValue, tablePreview } from '../../../storage/web-ui-queries.ts';
import { html, type Html } from './html.ts';
import { formatDuration } from './runs-page.ts';
import { dataTable, statusBadge, webPage } from './web-layout.ts';
import type { WarehouseConnection } from '../../../storage/warehouse-access.ts';

const stripDays = 90;
const previewRows = 50;
const recentShown = 20;

/** The page of asset `name` of `graph` for `requested` (default: its latest partition); `connection` is `null` before the warehouse exists. */
export async function assetPage(graph: AssetGraph, name: string, connection: WarehouseConnection | null, requested: string | null, liveSince: number): Promise<string> {
  const asset = graph.get(name);
  const partitioned = asset.partitions !== null;
  const read = (partitionKey: string) => (connection === null ? null : readAssetHistory(connection, { partitionKey, days: 1, recent: recentShown }));
  let history = await read(requested ?? todayPartitionKey());
  const recent = history?.recent.get(name) ?? [];
  const partitionKey = partitioned ? (requested ?? recent.find((one) => one.status === 'materialized')?.partitionKey ?? todayPartitionKey()) : null;
  if (partitionKey !== null && partitionKey !== (requested ?? todayPartitionKey())) history = await read(partitionKey);
  const days = partitioned ? Array.from({ length: stripDays }, (_, index) => shiftPartitionKey(partitionKey!, index + 1 - stripDays)) : [];
  const statuses = connection === null || !partitioned ? new Map<string, string>() : await partitionStatuses(connection, name, days[0]!);
  const latest = history?.latest.get(name) ?? null;
  const sqlText = recent.find((one) => typeof one.metadata.query === 'string')?.metadata.query as string | undefined;
  const preview = connection === null ? html`<p class="empty">The warehouse does not exist yet.</p>` : await previewOf(connection, asset.kind, name, asset.partitions?.column ?? null, partitionKey);
  const links = (names: readonly string[]) =>
    names.length === 0 ? 'none' : names.map((other) => html`<a href="/assets/${encodeURIComponent(other)}${partitionKey === null ? '' : `?partition=${partitionKey}`}">${other}</a> `);
  const body = html`<h1>${name}</h1>
${asset.description === '' ? html`<p class="empty">No description.</p>` : html`<p class="description">${asset.description}</p>`}
<dl class="facts">
<dt>kind</dt><dd>${asset.kind} (${asset.compute === 'sql' ? 'SQL' : 'code'})</dd>
<dt>group</dt><dd>${asset.group}</dd>
<dt>partitions</dt><dd>${asset.partitions === null ? 'none' : `${asset.partitions.kind}(${asset.partitions.column})`}</dd>
<dt>tags</dt><dd>${Object.entries(asset.tags).map(([key, value]) => html`<code>${key}=${value}</code> `)}</dd>
<dt>upstream</dt><dd>${links(graph.parents(name))}</dd>
<dt>downstream</dt><dd>${links(graph.children(name))}</dd>
</dl>
<p><a href="/launch?select=${encodeURIComponent(name)}${partitionKey === null ? '' : `&partition=${partitionKey}`}">Materialize it…</a></p>
${asset.compute === 'sql' ? html`<h2>SQL</h2>${sqlText === undefined ? html`<p class="empty">Shown once it has been materialized.</p>` : html`<pre class="sql">${sqlText}</pre>`}` : ''}
${partitioned ? html`<h2>Last ${stripDays} days</h2>${strip(name, days, statuses)}` : ''}
<h2>${partitionKey === null ? 'Latest materialization' : html`Partition ${partitionKey}`}</h2>
${latest === null ? html`<p class="empty">Not materialized${partitionKey === null ? '' : ' for this partition'}.</p>` : materialization(latest)}
<h2>Preview</h2>
${preview}
<h2>Recent materializations</h2>
${recent.length === 0 ? html`<p class="empty">None.</p>` : recentTable(recent)}`;
  return webPage({ title: name, current: '', body, live: { events: ['run'], since: liveSince } });
}

function strip(name: string, days: readonly string[], statuses: ReadonlyMap<string, string>): Html {
  return html`<div class="strip">${days.map((day) => {
    const status = statuses.get(day) ?? 'never';
    return html`<a class="day" data-status="${status}" href="/assets/${encodeURIComponent(name)}?partition=${day}" title="${day}: ${status}"></a>`;
  })}</div>`;
}

function materialization(record: MaterializationRecord): Html {
  const metadata = Object.entries(record.metadata).filter(([key]) => key !== 'query');
  return html`<dl class="facts">
<dt>status</dt><dd>${statusBadge(record.status)}</dd>
<dt>finished</dt><dd>${record.finishedAt}</dd>
<dt>duration</dt><dd>${formatDuration(record.durationMs)}</dd>
<dt>rows</dt><dd>${record.rowCount ?? '—'}</dd>
${record.error === null ? '' : html`<dt>error</dt><dd><pre>${record.error}</pre></dd>`}
${record.reason === null ? '' : html`<dt>reason</dt><dd>${record.reason}</dd>`}
${metadata.map(([key, value]) => html`<dt>${key}</dt><dd><code>${typeof value === 'string' ? value : JSON.stringify(value)}</code></dd>`)}
</dl>`;
}

async function previewOf(connection: WarehouseConnection, kind: string, name: string, column: string | null, partitionKey: string | null): Promise<Html> {
  if (kind === 'table') {
    const table = await tablePreview(connection, name, column === null || partitionKey === null ? null : { column, key: partitionKey }, previewRows);
    if (table === null) return html`<p class="empty">No table yet.</p>`;
    if (table.rows.length === 0) return html`<p class="empty">No rows${partitionKey === null ? '' : ' for this partition'}.</p>`;
    return html`<p class="muted">The first ${previewRows} rows at most.</p>${dataTable(table.columns, table.rows)}`;
  }
  const stored = await storedValue(connection, name, partitionKey);
  if (!stored.found) return html`<p class="empty">No value${partitionKey === null ? '' : ' for this partition'}.</p>`;
  const value = stored.value;
  const body = typeof value === 'object' && value !== null && 'html' in value && typeof value.html === 'string' ? value.html : null;
  return html`${body === null ? '' : emailFrame(body)}<pre class="value">${JSON.stringify(value, null, 2)}</pre>`;
}

/** The body as the email would look: a frame with no scripts, forms or plugins, and a policy that loads nothing from anywhere. */
function emailFrame(body: string): Html {
  const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  return html`<iframe class="email" title="The email as it would look" sandbox="" referrerpolicy="no-referrer" srcdoc="${policy + body}"></iframe>`;
}

function recentTable(records: readonly MaterializationRecord[]): Html {
  return html`<table class="data"><thead><tr><th>partition</th><th>status</th><th>rows</th><th>finished</th><th>duration</th><th>error or reason</th></tr></thead><tbody>${records.map(
    (record) => html`<tr><td>${record.partitionKey ?? ''}</td><td>${statusBadge(record.status)}</td><td class="number">${record.rowCount ?? ''}</td><td>${record.finishedAt}</td><td class="number">${formatDuration(
      record.durationMs,
    )}</td><td>${record.error ?? record.reason ?? ''}</td></tr>`,
  )}</tbody></table>`;
}
