// @ts-check
/**
 * Keeps the graph page served by `duckdag serve` live: the server's `statuses` events recolour the
 * nodes of the page's partition (and unpartitioned ones) through `duckdagGraph.applyStatuses`, a
 * running asset shows as running; the side panel links to the asset's page.
 */
(() => {
  /** @type {{ data: { partitionKey: string }, applyStatuses: (statuses: Record<string, unknown>) => void }} */
  const graph = /** @type {any} */ (window).duckdagGraph;
  const partitionKey = graph.data.partitionKey;
  const root = document.documentElement;
  const source = new EventSource('/events');
  source.addEventListener('open', () => root.setAttribute('data-live', 'open'));
  source.addEventListener('error', () => root.setAttribute('data-live', 'reconnecting'));
  source.addEventListener('statuses', (event) => {
    /** @type {[string, { partitionKey: string | null }][]} */
    const changes = JSON.parse(/** @type {MessageEvent} */ (event).data);
    const mine = changes.filter(([, status]) => status.partitionKey === null || status.partitionKey === partitionKey);
    if (mine.length > 0) graph.applyStatuses(Object.fromEntries(mine));
  });

  const panel = /** @type {HTMLElement} */ (document.getElementById('panel'));
  new MutationObserver(() => {
    const asset = panel.getAttribute('data-asset');
    const heading = panel.querySelector('h2');
    if (asset === null || heading === null || panel.querySelector('a.asset-page') !== null) return;
    const link = document.createElement('a');
    link.className = 'asset-page';
    link.href = `/assets/${encodeURIComponent(asset)}?partition=${encodeURIComponent(partitionKey)}`;
    link.textContent = 'Open the asset page';
    heading.after(link);
  }).observe(panel, { childList: true });
})();
