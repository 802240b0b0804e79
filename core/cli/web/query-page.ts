/**
 * The query box: one read-only statement over the warehouse, under the rules of `duckdag query`
 * and without local files; the result as a table of at most the rows asked for.
 */
import type { QueryTable } from '../../../storage/read-rows.ts';
import { html } from './html.ts';
import { dataTable, webPage } from './web-layout.ts';

export const defaultRowLimit = 200;
export const maxRowLimit = 10_000;

export interface QueryOutcome {
  readonly table: QueryTable | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export function queryPage(text: string, limit: number, outcome: QueryOutcome | null): string {
  const table = outcome?.table ?? null;
  const shown = table === null ? [] : table.rows.slice(0, limit);
  const body = html`<h1>Query</h1>
<form class="stack" method="post" action="/query">
<label>SQL (one read-only statement: SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE)<textarea name="sql" spellcheck="false" required>${text}</textarea></label>
<label>Rows shown at most <input type="text" name="limit" value="${limit}" inputmode="numeric"></label>
<div><button type="submit">Run</button></div>
</form>
${outcome?.error ? html`<p class="error" role="alert">${outcome.error}</p>` : ''}
${
  table === null
    ? ''
    : html`<p class="muted result-summary">${table.rows.length > limit ? `the first ${limit} rows` : `${table.rows.length} ${table.rows.length === 1 ? 'row' : 'rows'}`} in ${outcome!.durationMs} ms</p>${dataTable(table.columns, shown)}`
}`;
  return webPage({ title: 'Query', current: '/query', body });
}
