/**
 * A run's page: what it was asked to run, each asset's outcome, and a timeline of its assets. While
 * the run is in progress its running assets show as running, and the page follows the run live.
 */
import { readRun, type RunAssetRecord } from '../../../storage/web-ui-queries.ts';
import type { RunPlan } from '../../runtime/run-plan.ts';
import { html, type Html } from './html.ts';
import { planTable } from './launch-page.ts';
import { formatDuration } from './runs-page.ts';
import { statusBadge, webPage } from './web-layout.ts';
import type { WarehouseConnection } from '../../../storage/warehouse-access.ts';

/** What the server knows of a run beyond the warehouse. */
export interface LiveRun {
  /** Its plan, for runs started since the server did. */
  readonly plan: RunPlan | null;
  /** Its assets running now, and since when. */
  readonly running: ReadonlyMap<string, Date>;
  /** Whether this server can cancel it (a schedule's or a launched run in progress). */
  readonly cancellable: boolean;
  /** The live feed's number now. */
  readonly since: number;
}

/** An asset of the run as the page shows it: recorded, or running (not finished yet). */
type ShownAsset = Omit<RunAssetRecord, 'finished_at' | 'attempts'> & { readonly finished_at: string | null; readonly attempts: number | null };

/** The page, or `null` when there is no such run. */
export async function runPage(connection: WarehouseConnection, runId: string, live: LiveRun, now = new Date()): Promise<string | null> {
  const found = await readRun(connection, runId);
  if (found === null) return null;
  const { run } = found;
  const { plan } = live;
  const recorded = new Set(found.assets.map((asset) => asset.asset));
  const running: ShownAsset[] = [...live.running]
    .filter(([asset]) => !recorded.has(asset))
    .map(([asset, startedAt]) => ({
      asset,
      partition_key: plan?.steps.find((step) => step.asset === asset)?.partitionKey ?? run.partition_key,
      status: 'running',
      row_count: null,
      started_at: startedAt.toISOString(),
      finished_at: null,
      duration_ms: now.getTime() - startedAt.getTime(),
      attempts: null,
      error: null,
      reason: null,
    }));
  const assets: ShownAsset[] = [...found.assets, ...running];
  const body = html`<h1>Run ${run.run_id} ${statusBadge(run.status)}</h1>
${live.cancellable ? html`<form method="post" action="/runs/${encodeURIComponent(run.run_id)}/cancel"><button type="submit" class="cancel">Cancel this run</button></form>` : ''}
<dl class="facts">
<dt>selection</dt><dd><code>${run.selection}</code>${run.exclude === null ? '' : html` except <code>${run.exclude}</code>`}</dd>
<dt>partition</dt><dd>${run.partition_key === null ? 'none' : html`<a href="/graph?partition=${encodeURIComponent(run.partition_key)}">${run.partition_key}</a>`}</dd>
<dt>force</dt><dd>${run.force ? 'yes' : 'no'}</dd>
<dt>started</dt><dd>${run.started_at}</dd>
<dt>finished</dt><dd>${run.finished_at ?? 'not yet'}</dd>
<dt>duration</dt><dd>${formatDuration(run.duration_ms)}</dd>
</dl>
<h2>Plan</h2>
${plan === null ? html`<p class="muted">The plan of a run started before this server is not kept; the assets below are what it recorded.</p>` : planTable(plan)}
<h2>Assets</h2>
${assets.length === 0 ? html`<p class="empty">No asset has started yet.</p>` : assetTable(assets)}
<h2>Timeline</h2>
${assets.length === 0 ? '' : timeline(assets, now)}`;
  // In progress, the page follows each asset starting and finishing; once ended, only new runs.
  return webPage({ title: `Run ${run.run_id}`, current: '/runs', body, live: { events: run.status === 'running' ? ['run', 'statuses'] : ['run'], since: live.since } });
}

function assetTable(assets: readonly ShownAsset[]): Html {
  return html`<table class="data run-assets"><thead><tr><th>asset</th><th>status</th><th>partition</th><th>rows</th><th>duration</th><th>attempts</th><th>error or reason</th></tr></thead><tbody>${assets.map(
    (asset) => html`<tr data-asset="${asset.asset}"><td><a href="/assets/${encodeURIComponent(asset.asset)}${
      asset.partition_key === null ? '' : `?partition=${encodeURIComponent(asset.partition_key)}`
    }">${asset.asset}</a></td><td>${statusBadge(asset.status)}</td><td>${asset.partition_key ?? ''}</td><td class="number">${asset.row_count ?? ''}</td><td class="number">${formatDuration(
      asset.duration_ms,
    )}</td><td class="number">${asset.attempts ?? ''}</td><td>${asset.error ?? asset.reason ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

/** Each asset's span as a bar on the run's time axis; a running asset's bar reaches `now`. */
function timeline(assets: readonly ShownAsset[], now: Date): Html {
  const starts = assets.map((asset) => Date.parse(asset.started_at));
  const ends = assets.map((asset) => (asset.finished_at === null ? now.getTime() : Date.parse(asset.finished_at)));
  const first = Math.min(...starts);
  const span = Math.max(1, Math.max(...ends) - first);
  return html`<div class="timeline">${assets.map((asset, index) => {
    const left = ((starts[index]! - first) / span) * 100;
    const width = ((ends[index]! - starts[index]!) / span) * 100;
    return html`<span>${asset.asset}</span><div class="track"><div class="bar" data-asset="${asset.asset}" data-status="${asset.status}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${asset.status} · ${formatDuration(
      asset.duration_ms,
    )}"></div></div>`;
  })}</div>`;
}
