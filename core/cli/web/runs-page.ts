/** The web UI's runs: launches from the page (with their cancel button), recent runs, schedule ticks. */
import { recentRuns } from '../../../storage/history-queries.ts';
import { recentTicks } from '../../../storage/web-ui-queries.ts';
import { html, type Html } from './html.ts';
import type { Launch } from './run-launcher.ts';
import { cellText, statusBadge, webPage } from './web-layout.ts';
import type { WarehouseConnection } from '../../../storage/warehouse-access.ts';

const shownRuns = 50;
const shownTicks = 30;

/** The page; `cancellable` are the runs in progress this server can cancel, `liveSince` the live feed's number now. */
export async function runsPage(
  connection: WarehouseConnection | null,
  launches: readonly Launch[],
  writer: string | null,
  cancellable: ReadonlySet<string>,
  liveSince: number,
): Promise<string> {
  const runs = connection === null ? null : await recentRuns(connection, shownRuns);
  const ticks = connection === null ? null : await recentTicks(connection, shownTicks);
  const body = html`<h1>Runs</h1>
${writer === null ? html`<p class="muted">Nothing is writing the warehouse.</p>` : html`<p class="notice">Writing the warehouse now: ${writer}</p>`}
${launches.length === 0 ? '' : html`<h2>Launched from this page</h2>${launchTable(launches)}`}
<h2>Recent runs</h2>
${runs === null || runs.rows.length === 0 ? html`<p class="empty">No run yet.</p>` : runTable(runs.columns, runs.rows, cancellable)}
<h2>Schedule ticks</h2>
${ticks === null || ticks.rows.length === 0 ? html`<p class="empty">No tick yet.</p>` : tickTable(ticks.columns, ticks.rows)}`;
  return webPage({ title: 'Runs', current: '/runs', body, live: { events: ['run'], since: liveSince } });
}

function launchTable(launches: readonly Launch[]): Html {
  return html`<table class="data launches"><thead><tr><th>#</th><th>status</th><th>selection</th><th>partition</th><th>runs</th><th>error</th><th></th></tr></thead><tbody>${launches.map(
    (launch) => html`<tr data-launch="${launch.id}"><td>${launch.id}</td><td>${statusBadge(launch.status)}</td><td>${launch.request.select}${
      launch.request.exclude ? html` <span class="muted">except ${launch.request.exclude}</span>` : ''
    }</td><td>${launch.request.partition}</td><td>${launch.runIds.map((runId) => html`<a href="/runs/${encodeURIComponent(runId)}">${runId}</a> `)}</td><td>${launch.error ?? ''}</td><td>${
      launch.status === 'running' || launch.status === 'waiting'
        ? html`<form method="post" action="/launches/${launch.id}/cancel"><button type="submit" class="cancel">Cancel</button></form>`
        : ''
    }</td></tr>`,
  )}</tbody></table>`;
}

function runTable(columns: readonly string[], rows: readonly (readonly unknown[])[], cancellable: ReadonlySet<string>): Html {
  const at = (name: string) => columns.indexOf(name);
  const counts = ['materialized', 'skipped', 'failed', 'check_failed', 'upstream_failed', 'cancelled'];
  return html`<table class="data runs"><thead><tr><th>run</th><th>status</th><th>partition</th><th>selection</th><th>schedule</th><th>started</th><th>duration</th><th>assets</th><th></th></tr></thead><tbody>${rows.map((row) => {
    const runId = String(row[at('run_id')]);
    const outcomes = counts.filter((name) => Number(row[at(name)]) > 0).map((name) => `${Number(row[at(name)])} ${name.replaceAll('_', ' ')}`);
    return html`<tr data-run="${runId}"><td><a href="/runs/${encodeURIComponent(runId)}">${runId}</a></td><td>${statusBadge(String(row[at('status')]))}</td><td>${cellText(
      row[at('partition_key')],
    )}</td><td>${cellText(row[at('selection')])}</td><td>${cellText(row[at('schedule')])}</td><td>${cellText(row[at('started_at')])}</td><td class="number">${formatDuration(
      row[at('duration_ms')],
    )}</td><td>${outcomes.join(', ')}</td><td>${
      cancellable.has(runId) ? html`<form method="post" action="/runs/${encodeURIComponent(runId)}/cancel"><button type="submit" class="cancel">Cancel</button></form>` : ''
    }</td></tr>`;
  })}</tbody></table>`;
}

function tickTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): Html {
  const at = (name: string) => columns.indexOf(name);
  return html`<table class="data ticks"><thead><tr><th>schedule</th><th>tick</th><th>partition</th><th>outcome</th><th>reason</th><th>run</th></tr></thead><tbody>${rows.map((row) => {
    const runId = row[at('run_id')];
    return html`<tr><td>${cellText(row[at('schedule')])}</td><td>${cellText(row[at('tick_at')])}</td><td>${cellText(row[at('partition_key')])}</td><td>${statusBadge(
      String(row[at('status')]),
    )}</td><td>${cellText(row[at('reason')])}</td><td>${runId === null ? '' : html`<a href="/runs/${encodeURIComponent(String(runId))}">${String(runId)}</a>`}</td></tr>`;
  })}</tbody></table>`;
}

export function formatDuration(ms: unknown): string {
  if (ms === null || ms === undefined) return '';
  const value = Number(ms);
  return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}
