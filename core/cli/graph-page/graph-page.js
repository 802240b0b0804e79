// @ts-check
/**
 * The script of the graph page (`duckdag graph --format html`), inlined into it: pan and zoom, fit,
 * search, the side panel of an asset, `+asset+` focus. It reads the graph and its statuses from the
 * page's JSON blob; `duckdagGraph.applyStatuses(statuses)` (or a `duckdag:statuses` event on
 * `window` with the statuses as `detail`) recolours it with new ones. User text goes in as text only.
 */
(() => {
  /** @typedef {{ status: string, rowCount: number | null, finishedAt: string | null, detail: string | null, summary: string, statusLine: string }} AssetStatus */
  /** @typedef {{ asset: string, partitionKey: string | null, status: string, rowCount: number | null, finishedAt: string, durationMs: number, attempts: number, error: string | null, reason: string | null, metadata: Record<string, unknown> }} MaterializationRecord */
  /** @typedef {{ name: string, kind: string, shape: string, compute: string, group: string, description: string, tags: Record<string, string>, partitions: string | null, upstream: string[], downstream: string[], recent: MaterializationRecord[], days: (string | null)[] | null, staleness: { state: string, causes: string[] } }} GraphAsset */
  /** @typedef {{ partitionKey: string, days: string[], assets: GraphAsset[], edges: [string, string][], statuses: Record<string, AssetStatus> }} GraphData */

  const blob = /** @type {HTMLElement} */ (document.getElementById('duckdag-graph-data'));
  /** @type {GraphData} */
  const data = JSON.parse(blob.textContent ?? '{}');
  const svgNs = 'http://www.w3.org/2000/svg';
  const canvas = /** @type {HTMLElement} */ (document.getElementById('canvas'));
  const svg = /** @type {SVGSVGElement} */ (canvas.querySelector('svg.duckdag-graph'));
  const viewport = /** @type {SVGGElement} */ (svg.querySelector('g.viewport'));
  const panel = /** @type {HTMLElement} */ (document.getElementById('panel'));
  const search = /** @type {HTMLInputElement} */ (document.getElementById('search'));
  const message = /** @type {HTMLElement} */ (document.getElementById('message'));
  const clearFocusButton = /** @type {HTMLButtonElement} */ (document.getElementById('clear-focus'));
  const legendTop = 34;

  const assets = new Map(data.assets.map((asset) => [asset.name, asset]));
  /** @type {Map<string, SVGGElement>} */
  const nodes = new Map();
  for (const node of svg.querySelectorAll('g.node')) nodes.set(node.getAttribute('data-asset') ?? '', /** @type {SVGGElement} */ (node));
  const edges = [...svg.querySelectorAll('path.edge')];

  // The drawing fills the window; the view is a transform of its viewport group.
  svg.removeAttribute('viewBox');
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  let view = { x: 0, y: legendTop, k: 1 };
  const showView = () => viewport.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const clampScale = (/** @type {number} */ k) => Math.min(4, Math.max(0.02, k));

  function fit() {
    const box = viewport.getBBox();
    const width = canvas.clientWidth;
    const height = canvas.clientHeight - legendTop;
    const k = clampScale(Math.min((width - 40) / Math.max(box.width, 1), (height - 40) / Math.max(box.height, 1), 1.5));
    view = { k, x: (width - box.width * k) / 2 - box.x * k, y: legendTop + (height - box.height * k) / 2 - box.y * k };
    showView();
  }

  /** Moves the view so that the asset's node is in the middle, at a readable size. */
  function centre(/** @type {string} */ name) {
    const node = nodes.get(name);
    if (node === undefined) return;
    const box = nodeBox(node);
    const k = Math.max(view.k, 1);
    view = { k, x: canvas.clientWidth / 2 - (box.x + box.width / 2) * k, y: (canvas.clientHeight + legendTop) / 2 - (box.y + box.height / 2) * k };
    showView();
  }

  function nodeBox(/** @type {SVGGElement} */ node) {
    const shape = /** @type {SVGGraphicsElement} */ (node.querySelector('.shape')).getBBox();
    const translate = node.transform.baseVal.consolidate()?.matrix;
    return { x: (translate?.e ?? 0) + shape.x, y: (translate?.f ?? 0) + shape.y, width: shape.width, height: shape.height };
  }

  let drag = /** @type {{ x: number, y: number, moved: boolean } | null} */ (null);
  canvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, moved: false };
  });
  window.addEventListener('pointermove', (event) => {
    if (drag === null) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag = { x: event.clientX, y: event.clientY, moved: true };
    view = { ...view, x: view.x + dx, y: view.y + dy };
    showView();
  });
  window.addEventListener('pointerup', () => {
    // A drag that moved is not a click on the node it ended on.
    if (drag?.moved) canvas.addEventListener('click', (event) => event.stopPropagation(), { capture: true, once: true });
    drag = null;
  });
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      const k = clampScale(view.k * Math.exp(-event.deltaY * 0.0015));
      view = { k, x: px - ((px - view.x) * k) / view.k, y: py - ((py - view.y) * k) / view.k };
      showView();
    },
    { passive: false },
  );

  canvas.addEventListener('click', (event) => {
    const node = /** @type {Element} */ (event.target).closest('g.node');
    if (node !== null) select(node.getAttribute('data-asset') ?? '');
  });
  canvas.addEventListener('keydown', (event) => {
    const node = /** @type {Element} */ (event.target).closest('g.node');
    if (node !== null && event.key === 'Enter') select(node.getAttribute('data-asset') ?? '');
  });

  /** Shows the asset's panel and marks its node. */
  function select(/** @type {string} */ name) {
    const asset = assets.get(name);
    if (asset === undefined) return;
    for (const node of svg.querySelectorAll('g.node.selected')) node.classList.remove('selected');
    nodes.get(name)?.classList.add('selected');
    renderPanel(asset);
  }

  /**
   * Dims every asset except `name`, its upstream to `up` steps and its downstream to `down` steps
   * (`Infinity`: all), as the selection `up+name+down` would.
   */
  function focus(/** @type {string} */ name, up = Infinity, down = Infinity) {
    if (!assets.has(name)) return;
    const kept = new Set([name, ...reach(name, 'upstream', up), ...reach(name, 'downstream', down)]);
    for (const [asset, node] of nodes) node.classList.toggle('dimmed', !kept.has(asset));
    for (const edge of edges) {
      edge.classList.toggle('dimmed', !kept.has(edge.getAttribute('data-from') ?? '') || !kept.has(edge.getAttribute('data-to') ?? ''));
    }
    clearFocusButton.hidden = false;
    const depth = (/** @type {number} */ steps) => (steps === Infinity ? '' : String(steps));
    say(`focused on ${depth(up)}+${name}+${depth(down)}: ${kept.size} of ${assets.size} assets`);
  }

  function clearFocus() {
    for (const element of svg.querySelectorAll('.dimmed')) element.classList.remove('dimmed');
    clearFocusButton.hidden = true;
    say('');
  }

  /** @returns {Set<string>} */
  function reach(/** @type {string} */ name, /** @type {'upstream' | 'downstream'} */ direction, /** @type {number} */ depth) {
    const found = new Set();
    let frontier = [name];
    for (let step = 0; step < depth && frontier.length > 0; step += 1) {
      /** @type {string[]} */
      const next = [];
      for (const current of frontier) {
        for (const neighbour of assets.get(current)?.[direction] ?? []) {
          if (assets.has(neighbour) && !found.has(neighbour)) {
            found.add(neighbour);
            next.push(neighbour);
          }
        }
      }
      frontier = next;
    }
    return found;
  }

  /** Recolours the graph with new statuses (by asset name); assets not named keep theirs. */
  function applyStatuses(/** @type {Record<string, AssetStatus>} */ statuses) {
    Object.assign(data.statuses, statuses);
    for (const [name, status] of Object.entries(statuses)) {
      const node = nodes.get(name);
      if (node === undefined) continue;
      const chars = Number(node.getAttribute('data-chars'));
      node.setAttribute('data-status', status.status);
      setText(node.querySelector('.summary'), truncate(status.summary, chars));
      setText(node.querySelector('.status-line'), truncate(status.statusLine, chars));
      setText(node.querySelector('.status > title'), status.detail ?? status.statusLine);
    }
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const status of Object.values(data.statuses)) counts.set(status.status, (counts.get(status.status) ?? 0) + 1);
    for (const item of svg.querySelectorAll('.legend-item')) setText(item.querySelector('.count'), String(counts.get(item.getAttribute('data-status') ?? '') ?? 0));
    const open = panel.getAttribute('data-asset');
    if (open !== null && !panel.hidden && assets.has(open)) renderPanel(/** @type {GraphAsset} */ (assets.get(open)));
  }

  function truncate(/** @type {string} */ text, /** @type {number} */ chars) {
    return text.length <= chars ? text : `${text.slice(0, Math.max(0, chars - 1))}…`;
  }

  function setText(/** @type {Element | null} */ element, /** @type {string} */ text) {
    if (element !== null) element.textContent = text;
  }

  /** An element with text content and attributes; children appended in order. */
  function el(/** @type {string} */ tag, /** @type {Record<string, string>} */ attributes = {}, /** @type {(Node | string)[]} */ ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    element.append(...children);
    return element;
  }

  function renderPanel(/** @type {GraphAsset} */ asset) {
    const status = data.statuses[asset.name];
    const close = el('button', { class: 'close', title: 'Close (Esc)', 'aria-label': 'Close' }, '×');
    close.addEventListener('click', () => (panel.hidden = true));
    const facts = el('dl');
    const fact = (/** @type {string} */ term, /** @type {Node | string} */ value) => facts.append(el('dt', {}, term), el('dd', {}, value));
    fact('status', el('span', { class: 'status', 'data-status': status?.status ?? 'never' }, status?.statusLine ?? 'never materialized'));
    if (status?.detail) fact(status.status === 'failed' ? 'error' : 'reason', el('pre', { class: 'detail' }, status.detail));
    fact('rows', el('span', { class: 'rows' }, status?.rowCount === null || status?.rowCount === undefined ? '—' : status.rowCount.toLocaleString('en-US')));
    fact('state', el('span', { class: 'state', 'data-state': asset.staleness.state }, asset.staleness.causes.length === 0 ? asset.staleness.state : `${asset.staleness.state}: ${asset.staleness.causes.join('; ')}`));
    fact('kind', `${asset.kind} (${asset.compute === 'sql' ? 'SQL' : 'code'})`);
    fact('group', asset.group);
    fact('partitions', asset.partitions ?? 'none');
    const tags = Object.entries(asset.tags);
    if (tags.length > 0) fact('tags', el('span', {}, ...tags.map(([key, value]) => el('code', { class: 'tag' }, `${key}=${value}`))));
    fact('upstream', links(asset.upstream));
    fact('downstream', links(asset.downstream));

    const focusControls = el('div', { class: 'focus' });
    const depthSelect = (/** @type {string} */ label) =>
      el('select', { 'aria-label': label }, ...['all', '1', '2', '3'].map((value) => el('option', { value }, value === 'all' ? `all ${label}` : `${value} ${label}`)));
    const up = /** @type {HTMLSelectElement} */ (depthSelect('upstream'));
    const down = /** @type {HTMLSelectElement} */ (depthSelect('downstream'));
    const focusButton = el('button', { class: 'focus-button' }, `Focus +${asset.name}+`);
    const depthOf = (/** @type {HTMLSelectElement} */ select) => (select.value === 'all' ? Infinity : Number(select.value));
    focusButton.addEventListener('click', () => focus(asset.name, depthOf(up), depthOf(down)));
    focusControls.append(up, down, focusButton);

    /** @type {Element[]} */
    const sections = [
      close,
      el('h2', {}, asset.name),
      asset.description === '' ? el('p', { class: 'description empty' }, 'No description.') : el('p', { class: 'description' }, asset.description),
      focusControls,
      facts,
    ];
    const sql = asset.recent.find((record) => typeof record.metadata.query === 'string')?.metadata.query;
    if (asset.compute === 'sql') {
      sections.push(el('h3', {}, 'SQL'), typeof sql === 'string' ? el('pre', { class: 'sql' }, sql) : el('p', { class: 'empty' }, 'Shown once it has been materialized.'));
    }
    if (asset.days !== null) sections.push(el('h3', {}, `Last ${data.days.length} days`), strip(asset.days));
    sections.push(el('h3', {}, 'Last materializations'), history(asset.recent));
    panel.replaceChildren(...sections);
    panel.setAttribute('data-asset', asset.name);
    panel.hidden = false;
  }

  function links(/** @type {string[]} */ names) {
    if (names.length === 0) return 'none';
    const list = el('span', { class: 'links' });
    for (const name of names) {
      if (assets.has(name)) {
        const button = el('button', { class: 'link' }, name);
        button.addEventListener('click', () => {
          centre(name);
          select(name);
        });
        list.append(button);
      } else {
        list.append(el('span', { class: 'unselected', title: 'not in the selection' }, name));
      }
    }
    return list;
  }

  /** One square per day, coloured by that partition's latest status, drawn with the graph's own colours. */
  function strip(/** @type {(string | null)[]} */ days) {
    const size = 11;
    const picture = document.createElementNS(svgNs, 'svg');
    picture.setAttribute('class', 'duckdag-graph strip');
    picture.setAttribute('width', String(days.length * (size + 2)));
    picture.setAttribute('height', String(size + 2));
    days.forEach((status, index) => {
      const square = document.createElementNS(svgNs, 'rect');
      square.setAttribute('class', 'swatch');
      square.setAttribute('data-status', status ?? 'never');
      square.setAttribute('x', String(index * (size + 2) + 1));
      square.setAttribute('y', '1');
      square.setAttribute('width', String(size));
      square.setAttribute('height', String(size));
      const title = document.createElementNS(svgNs, 'title');
      title.textContent = `${data.days[index]}: ${status ?? 'never materialized'}`;
      square.append(title);
      picture.append(square);
    });
    return picture;
  }

  function history(/** @type {MaterializationRecord[]} */ records) {
    if (records.length === 0) return el('p', { class: 'empty' }, 'Never materialized.');
    const rows = records.map((record) => {
      const { sql: _sql, ...metadata } = record.metadata;
      const detail = record.error ?? record.reason ?? '';
      return el(
        'tr',
        {},
        el('td', {}, record.finishedAt.slice(0, 16).replace('T', ' ')),
        el('td', {}, record.partitionKey ?? '—'),
        el('td', {}, el('span', { class: 'status', 'data-status': record.status }, record.status)),
        el('td', { class: 'number' }, record.rowCount === null ? '—' : record.rowCount.toLocaleString('en-US')),
        el('td', { class: 'number' }, `${(record.durationMs / 1000).toFixed(2)} s`),
        el(
          'td',
          {},
          detail === '' ? '' : el('div', { class: 'detail' }, detail),
          Object.keys(metadata).length === 0 ? '' : el('details', {}, el('summary', {}, 'metadata'), el('pre', {}, JSON.stringify(metadata, null, 2))),
        ),
      );
    });
    return el(
      'table',
      { class: 'history' },
      el('thead', {}, el('tr', {}, ...['finished (UTC)', 'partition', 'status', 'rows', 'took', ''].map((text) => el('th', {}, text)))),
      el('tbody', {}, ...rows),
    );
  }

  function say(/** @type {string} */ text) {
    message.textContent = text;
  }

  const selectionTerm = /^(\d*)\+(.+?)\+(\d*)$|^(\d*)\+(.+)$|^(.+?)\+(\d*)$/;

  /** Finds what the search box names: `name` (or part of it) centres and opens it; `+name+` focuses. */
  function find(/** @type {string} */ text) {
    const query = text.trim();
    if (query === '') return;
    const term = selectionTerm.exec(query);
    if (term !== null) {
      const name = term[2] ?? term[5] ?? term[6] ?? '';
      const depth = (/** @type {string | undefined} */ value, /** @type {boolean} */ present) => (!present ? 0 : value === undefined || value === '' ? Infinity : Number(value));
      const hasUp = term[2] !== undefined || term[5] !== undefined;
      const hasDown = term[2] !== undefined || term[6] !== undefined;
      if (!assets.has(name)) return say(`no asset named ${name}`);
      centre(name);
      select(name);
      return focus(name, depth(term[1] ?? term[4], hasUp), depth(term[3] ?? term[7], hasDown));
    }
    const lower = query.toLowerCase();
    const match = assets.has(query) ? query : data.assets.find((asset) => asset.name.toLowerCase().includes(lower))?.name;
    if (match === undefined) return say(`no asset matches "${query}"`);
    say('');
    centre(match);
    select(match);
  }

  const names = /** @type {HTMLDataListElement} */ (document.getElementById('asset-names'));
  names.append(...data.assets.map((asset) => el('option', { value: asset.name })));
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') find(search.value);
  });
  search.addEventListener('change', () => find(search.value));
  /** @type {HTMLButtonElement} */ (document.getElementById('fit')).addEventListener('click', fit);
  clearFocusButton.addEventListener('click', clearFocus);
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (!panel.hidden) panel.hidden = true;
    else clearFocus();
  });
  window.addEventListener('duckdag:statuses', (event) => applyStatuses(/** @type {CustomEvent<Record<string, AssetStatus>>} */ (event).detail));

  Object.assign(window, { duckdagGraph: { data, applyStatuses, select, centre, focus, clearFocus, fit, find } });
  fit();
  document.documentElement.setAttribute('data-ready', 'true');
})();
