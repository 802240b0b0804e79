/**
 * The pages of the web UI of `duckdag serve`, on `node:http` (a handful of routes needs no
 * framework), served by a worker to its front process (`web-front.ts`) over a Unix socket in a
 * folder only the user can enter: the live graph, the runs, an asset's page, launching and cancelling
 * runs, and a read-only query box. The front has checked every request (Host, Origin, token) and
 * serves the static files and the live feed itself; every page reads the warehouse through the
 * worker's `WarehouseAccess`; no route reads a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePartitionKey } from '../../kernel/daily-partitions.ts';
import { ConfigError, describeError, DuckdagError, WarehouseBusyError } from '../../kernel/errors.ts';
import type { ResolvedConfig } from '../../project/duckdag-config.ts';
import { runReadOnlyQuery } from '../../../storage/read-only-query.ts';
import type { WarehouseAccess, WarehouseConnection } from '../../../storage/warehouse-access.ts';
import { assetPage } from './asset-page.ts';
import { liveVersionHeader } from './forward-request.ts';
import { graphView } from './graph-view.ts';
import { html } from './html.ts';
import { launchForm, launchPlanPage } from './launch-page.ts';
import type { LiveEvents } from './live-events.ts';
import { defaultRowLimit, maxRowLimit, queryPage, type QueryOutcome } from './query-page.ts';
import type { RequestActivity } from './request-activity.ts';
import type { LaunchRequest, RunLauncher } from './run-launcher.ts';
import { runPage } from './run-page.ts';
import { runsPage } from './runs-page.ts';
import { webPage } from './web-layout.ts';

export interface WebUiOptions {
  readonly config: ResolvedConfig;
  /** The project's code versions, which the graph's staleness is judged with. */
  readonly codeVersions: ReadonlyMap<string, string>;
  readonly access: WarehouseAccess;
  readonly live: LiveEvents;
  readonly launcher: RunLauncher;
  /** The schedules' run in progress, which a page can cancel. */
  readonly scheduler: ScheduledRuns;
  /** Told of every request, so the worker knows when it is idle. */
  readonly activity: RequestActivity;
}

/** What the web UI needs of the scheduler: its run in progress, and cancelling it. */
export interface ScheduledRuns {
  readonly runningRunId: string | null;
  cancelRun(runId: string): boolean;
}

export interface WebUi {
  /** The Unix socket it listens on. */
  readonly socket: string;
  close(): Promise<void>;
}

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

/** Serves the pages on a Unix socket in a new folder of the temp folder, which only this user can enter (`mkdtemp` makes it 0700). */
export async function startWebUi(options: WebUiOptions): Promise<WebUi> {
  const dir = mkdtempSync(join(tmpdir(), 'duckdag-serve-'));
  const socket = join(dir, 'web.sock');
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Before the worker, orphaned by its front process, kills itself (serve-command.ts).
  process.prependListener('disconnect', removeDir);
  const server = createServer((request, response) => {
    options.activity.started();
    response.once('close', () => options.activity.ended());
    void handle(options, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socket,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          process.off('disconnect', removeDir);
          removeDir();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

async function handle(options: WebUiOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://duckdag.invalid');
  // The live feed's number when the front passed the request on: the page follows the events after it.
  const since = Number(request.headers[liveVersionHeader] ?? 0) || 0;
  try {
    await route(options, request, response, url, since);
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

async function route(options: WebUiOptions, request: IncomingMessage, response: ServerResponse, url: URL, since: number): Promise<void> {
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
  if (path === '/runs') {
    only('GET');
    sendPage(response, 200, await read((connection) => runsPage(connection, launcher.launches, access.writer, cancellable(), since)));
    return;
  }
  const runMatch = /^\/runs\/([^/]+)$/.exec(path);
  if (runMatch !== null) {
    only('GET');
    const runId = decodeURIComponent(runMatch[1]!);
    const page = await read(async (connection) => (connection === null ? null : runPage(connection, runId, { plan: live.planOf(runId), running: live.runningAssets(runId), cancellable: cancellable().has(runId), since })));
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
    sendPage(response, 200, await read((connection) => assetPage(config.graph, name, connection, requested, since)));
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
