/**
 * The web UI of `duckdag serve`, on `node:http` (a handful of routes needs no framework): the live
 * graph, the runs, an asset's page, launching and cancelling runs, and a read-only query box. Every
 * request passes the guard (Host, Origin, token); every page reads the warehouse through the serve
 * process's `WarehouseAccess`; no route reads a file other than the package's own static files.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { parsePartitionKey } from '../../kernel/daily-partitions.ts';
import { ConfigError, describeError, DuckdagError, WarehouseBusyError } from '../../kernel/errors.ts';
import type { ResolvedConfig } from '../../project/duckdag-config.ts';
import { runReadOnlyQuery } from '../../../storage/read-only-query.ts';
import type { WarehouseAccess, WarehouseConnection } from '../../../storage/warehouse-access.ts';
import { assetPage } from './asset-page.ts';
import { graphView } from './graph-view.ts';
import { html } from './html.ts';
import { launchForm, launchPlanPage } from './launch-page.ts';
import type { LiveEvents } from './live-events.ts';
import { defaultRowLimit, maxRowLimit, queryPage, type QueryOutcome } from './query-page.ts';
import { guardRequest, type GuardOptions } from './request-guard.ts';
import type { LaunchRequest, RunLauncher } from './run-launcher.ts';
import { runPage } from './run-page.ts';
import { runsPage } from './runs-page.ts';
import { webPage } from './web-layout.ts';
import { staticFile } from './web-static.ts';

export interface WebUiOptions {
  readonly config: ResolvedConfig;
  /** The project's code versions, which the graph's staleness is judged with. */
  readonly codeVersions: ReadonlyMap<string, string>;
  readonly access: WarehouseAccess;
  readonly live: LiveEvents;
  readonly launcher: RunLauncher;
  /** The schedules' run in progress, which a page can cancel. */
  readonly scheduler: ScheduledRuns;
  readonly host: string;
  /** `null`: 3000, or the next free port after it. */
  readonly port: number | null;
  /** Required on every request when set. */
  readonly token: string | null;
}

/** What the web UI needs of the scheduler: its run in progress, and cancelling it. */
export interface ScheduledRuns {
  readonly runningRunId: string | null;
  cancelRun(runId: string): boolean;
}

export interface WebUi {
  /** The address to open, without the token. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const defaultPort = 3000;
const portsTried = 20;
const maxBodyBytes = 1_000_000;

/** How pages may behave: scripts and styles from the server only, nothing framed, nothing sent elsewhere. */
const pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The graph page keeps its script and style inline, as `duckdag graph --format html` writes it. */
const graphPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startWebUi(options: WebUiOptions): Promise<WebUi> {
  let guard: GuardOptions = { hosts: [], token: options.token };
  const server = createServer((request, response) => {
    void handle(options, guard, request, response);
  });
  const port = await listen(server, options.host, options.port);
  guard = { hosts: allowedHosts(options.host, port), token: options.token };
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        options.live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Listens on `port`, or on 3000 or the next free port when none was asked for. */
async function listen(server: Server, host: string, port: number | null): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const tried = port ?? defaultPort + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(tried, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : tried;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && port === null && attempt < portsTried - 1) continue;
      const detail = code === 'EADDRINUSE' ? `port ${tried} is in use${port === null ? ` (and the ${portsTried - 1} after 3000)` : ''}; pass another --port` : describeError(error);
      throw new ConfigError('DUCKDAG_OPTION_INVALID', `cannot serve the web UI on ${host}:${tried}: ${detail}`, { cause: error });
    }
  }
}

/** The `Host` headers the server answers to: the bound address (and `localhost` on loopback; every interface's address when bound to all). */
function allowedHosts(host: string, port: number): string[] {
  const withPort = (name: string) => `${name.includes(':') ? `[${name}]` : name}:${port}`.toLowerCase();
  if (host === '0.0.0.0' || host === '::') {
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((one) => one.address));
    return [...new Set([...addresses, hostname(), 'localhost'])].map(withPort);
  }
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  return [...new Set([host, ...(loopback ? ['localhost', '127.0.0.1'] : [])])].map(withPort);
}

async function handle(options: WebUiOptions, guard: GuardOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://duckdag.invalid');
  const verdict = guardRequest(request, url, guard);
  if (!verdict.ok) {
    send(response, verdict.status, 'text/plain; charset=utf-8', `${verdict.reason}\n`);
    return;
  }
  if (verdict.setCookie !== null) {
    // The token moves from the address into a cookie, and out of the address bar and history.
    url.searchParams.delete('token');
    response.writeHead(303, { 'set-cookie': verdict.setCookie, location: `${url.pathname}${url.search}`, 'cache-control': 'no-store' });
    response.end();
    return;
  }
  try {
    await route(options, request, response, url);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : error instanceof WarehouseBusyError ? 503 : error instanceof DuckdagError ? 400 : 500;
    if (status === 500) process.stderr.write(`web UI: ${request.method} ${url.pathname}: ${describeError(error)}\n`);
    if (response.headersSent) {
      response.end();
      return;
    }
    const body = webPage({ title: 'Error', current: '', body: html`<h1>${status === 404 ? 'Not found' : 'Could not do that'}</h1><p class="error" role="alert">${describeError(error)}</p>` });
    sendPage(response, status, body);
  }
}

async function route(options: WebUiOptions, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const { config, access, live, launcher, scheduler } = options;
  const cancellable = () => new Set([...launcher.runningRunIds, ...(scheduler.runningRunId === null ? [] : [scheduler.runningRunId])]);
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
  const path = url.pathname;
  const read = <T>(work: (connection: WarehouseConnection | null) => Promise<T>) => readOrEmpty(access, work);
  const partition = () => {
    const text = url.searchParams.get('partition');
    return text === null || text === '' ? null : parsePartitionKey(text, 'partition');
  };
  const only = (allowed: string) => {
    if (method !== allowed) throw new HttpError(405, `${path} answers ${allowed} only`);
  };

  if (path === '/') {
    only('GET');
    response.writeHead(302, { location: '/graph' });
    response.end();
    return;
  }
  if (path === '/graph') {
    only('GET');
    const requested = partition();
    const page = await read((connection) => graphView(config, options.codeVersions, connection, requested));
    sendPage(response, 200, page, graphPolicy);
    return;
  }
  if (path === '/events') {
    only('GET');
    live.connect(response);
    return;
  }
  if (path.startsWith('/static/')) {
    only('GET');
    const file = staticFile(path.slice('/static/'.length));
    if (file === null) throw new HttpError(404, `no file ${path}`);
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    response.end(file.body);
    return;
  }
  if (path === '/runs') {
    only('GET');
    sendPage(response, 200, await read((connection) => runsPage(connection, launcher.launches, access.writer, cancellable(), live.version)));
    return;
  }
  const runMatch = /^\/runs\/([^/]+)$/.exec(path);
  if (runMatch !== null) {
    only('GET');
    const runId = decodeURIComponent(runMatch[1]!);
    const page = await read(async (connection) => (connection === null ? null : runPage(connection, runId, { plan: live.planOf(runId), running: live.runningAssets(runId), cancellable: cancellable().has(runId), since: live.version })));
    if (page === null) throw new HttpError(404, `no run ${runId} in the warehouse`);
    sendPage(response, 200, page);
    return;
  }
  const runCancelMatch = /^\/runs\/([^/]+)\/cancel$/.exec(path);
  if (runCancelMatch !== null) {
    only('POST');
    const runId = decodeURIComponent(runCancelMatch[1]!);
    if (!scheduler.cancelRun(runId) && !launcher.cancelRun(runId)) throw new HttpError(409, `run ${runId} is not running in this server`);
    seeOther(response, `/runs/${encodeURIComponent(runId)}`);
    return;
  }
  const cancelMatch = /^\/launches\/(\d+)\/cancel$/.exec(path);
  if (cancelMatch !== null) {
    only('POST');
    if (!launcher.cancel(Number(cancelMatch[1]))) throw new HttpError(409, `launch ${cancelMatch[1]} is not running`);
    seeOther(response, '/runs');
    return;
  }
  const assetMatch = /^\/assets\/([^/]+)$/.exec(path);
  if (assetMatch !== null) {
    only('GET');
    const name = decodeURIComponent(assetMatch[1]!);
    if (!config.graph.has(name)) throw new HttpError(404, `no asset ${name} in the project`);
    const requested = partition();
    sendPage(response, 200, await read((connection) => assetPage(config.graph, name, connection, requested, live.version)));
    return;
  }
  if (path === '/launch' && method === 'GET') {
    sendPage(response, 200, launchForm({ select: url.searchParams.get('select') ?? undefined, partition: url.searchParams.get('partition') ?? undefined }));
    return;
  }
  if (path === '/launch/plan' || path === '/launch') {
    only('POST');
    const form = await readForm(request);
    const launchRequest: LaunchRequest = { select: form.get('select') ?? '', exclude: nonEmpty(form.get('exclude')), partition: form.get('partition') ?? '' };
    try {
      if (path === '/launch/plan') {
        sendPage(response, 200, launchPlanPage(await launcher.plan(launchRequest)));
      } else {
        launcher.launch(launchRequest);
        seeOther(response, '/runs');
      }
    } catch (error) {
      if (!(error instanceof DuckdagError)) throw error;
      sendPage(response, error instanceof WarehouseBusyError ? 409 : 400, launchForm(launchRequest, describeError(error)));
    }
    return;
  }
  if (path === '/query') {
    if (method === 'GET') {
      sendPage(response, 200, queryPage(url.searchParams.get('sql') ?? '', defaultRowLimit, null));
      return;
    }
    only('POST');
    const form = await readForm(request);
    const text = form.get('sql') ?? '';
    const limit = rowLimit(form.get('limit'));
    const outcome = await runQuery(access, text, limit);
    sendPage(response, outcome.error === null ? 200 : 400, queryPage(text, limit, outcome));
    return;
  }
  throw new HttpError(404, `no page ${path}`);
}

/** Runs `work` on the warehouse, or with `null` when it does not exist yet. */
async function readOrEmpty<T>(access: WarehouseAccess, work: (connection: WarehouseConnection | null) => Promise<T>): Promise<T> {
  try {
    return await access.read(work);
  } catch (error) {
    if (error instanceof ConfigError && error.code === 'DUCKDAG_WAREHOUSE_MISSING') return work(null);
    throw error;
  }
}

async function runQuery(access: WarehouseAccess, text: string, limit: number): Promise<QueryOutcome> {
  const started = Date.now();
  try {
    const table = await access.readAlone((connection) => runReadOnlyQuery(connection, text, { localFiles: false, maxRows: limit + 1 }));
    return { table, error: null, durationMs: Date.now() - started };
  } catch (error) {
    return { table: null, error: describeError(error), durationMs: Date.now() - started };
  }
}

function rowLimit(text: string | null): number {
  const limit = Number(text ?? defaultRowLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxRowLimit) {
    throw new ConfigError('DUCKDAG_OPTION_INVALID', `rows shown must be a whole number from 1 to ${maxRowLimit}, got "${text}"`);
  }
  return limit;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new HttpError(415, 'send the form as application/x-www-form-urlencoded');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new HttpError(413, `the form is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function nonEmpty(text: string | null): string | undefined {
  return text === null || text.trim() === '' ? undefined : text.trim();
}

function seeOther(response: ServerResponse, location: string): void {
  response.writeHead(303, { location });
  response.end();
}

function sendPage(response: ServerResponse, status: number, body: string, policy = pagePolicy): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Not no-referrer: with it, Chromium sends `Origin: null` on the page's own forms.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  });
  response.end(body);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
