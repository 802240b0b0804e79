/**
 * The launch pages: a form (selection, exclusion, a partition or a range), then the plan of each
 * partition with the button that starts it; nothing runs before that confirmation.
 */
import { todayPartitionKey } from '../../kernel/daily-partitions.ts';
import type { RunPlan } from '../../runtime/run-plan.ts';
import { html, type Html } from './html.ts';
import type { LaunchPlan, LaunchRequest } from './run-launcher.ts';
import { webPage } from './web-layout.ts';

export function launchForm(request: Partial<LaunchRequest>, error: string | null = null): string {
  const body = html`<h1>Launch a run</h1>
${error === null ? '' : html`<p class="error" role="alert">${error}</p>`}
<form class="stack" method="post" action="/launch/plan">
<label>Selection <input type="text" name="select" value="${request.select ?? '*'}" required></label>
<label>Exclude <input type="text" name="exclude" value="${request.exclude ?? ''}" placeholder="same syntax; empty: nothing"></label>
<label>Partition <input type="text" name="partition" value="${request.partition ?? todayPartitionKey()}" required></label>
<p class="muted">A day (2026-11-24), a range (2026-11-20..2026-11-24: a backfill, one run per day, oldest first), or a list. Selection syntax: name, +name, name+, 2+name, tag:k=v, group:g, *; comma-separated.</p>
<div><button type="submit">Show the plan</button></div>
</form>`;
  return webPage({ title: 'Launch', current: '/launch', body });
}

export function launchPlanPage(plan: LaunchPlan): string {
  const runnable = plan.partitions.every((partition) => partition.plan !== null);
  const { request } = plan;
  const body = html`<h1>Plan: ${request.select}${request.exclude ? html` except ${request.exclude}` : ''}, ${plan.partitions.length === 1 ? 'partition' : `${plan.partitions.length} partitions`} ${request.partition}</h1>
${plan.partitions.map(
  (partition) =>
    html`<h2>Partition ${partition.partitionKey}</h2>${partition.plan === null ? html`<p class="error">${partition.error ?? ''}</p>` : planTable(partition.plan)}`,
)}
${
  runnable
    ? html`<form method="post" action="/launch">
<input type="hidden" name="select" value="${request.select}">
<input type="hidden" name="exclude" value="${request.exclude ?? ''}">
<input type="hidden" name="partition" value="${request.partition}">
<button type="submit" class="confirm">Run ${plan.partitions.length === 1 ? 'it' : `these ${plan.partitions.length} runs`}</button> <a href="/launch?select=${encodeURIComponent(request.select)}">Change</a>
</form>`
    : html`<p><a href="/launch?select=${encodeURIComponent(request.select)}&partition=${encodeURIComponent(request.partition)}">Change the launch</a>: every partition must be plannable.</p>`
}`;
  return webPage({ title: 'Plan', current: '/launch', body });
}

/** A plan's steps in order, with what each reads. */
export function planTable(plan: RunPlan): Html {
  return html`<table class="data plan"><thead><tr><th>#</th><th>asset</th><th>kind</th><th>partition</th><th>reads</th></tr></thead><tbody>${plan.steps.map(
    (step, index) => html`<tr data-asset="${step.asset}"><td class="number">${index + 1}</td><td>${step.asset}</td><td>${step.kind}</td><td>${step.partitionKey ?? ''}</td><td>${step.reads
      .map((read) => `${read.asset}${read.partitionOffset === 0 ? '' : `@${read.partitionKey}`}${read.source === 'run' ? '' : read.source === 'warehouse' ? ' (stored)' : ' (missing)'}`)
      .join(', ')}</td></tr>`,
  )}</tbody></table>`;
}
